package io.skylift.engine;

import io.skylift.engine.internal.FlowQueue;
import io.skylift.engine.internal.Stopped;
import io.skylift.engine.internal.TransferRun;
import java.util.concurrent.CompletableFuture;

/**
 * A handle on one upload or download. Pause keeps everything sent; cancel throws it away; resume
 * continues a paused (or resumably failed) transfer. What may be asked in each state is
 * {@link TransferState#actions()}; anything else is ignored. Thread-safe; every method returns at
 * once.
 *
 * <pre>{@code
 * Transfer t = engine.upload(Path.of("IMG_0001.CR3"), "2026-11-22 wedding").getFirst();
 * TransferResult r = t.stopped().join();   // DONE, FAILED, CANCELLED or PAUSED
 * }</pre>
 */
public final class Transfer {

    /** Told when a run of the transfer stopped, after listeners heard it. */
    interface Ended {
        void ended(Transfer transfer, TransferState state);
    }

    private final TransferRun run;
    private final FlowQueue flows;
    private final Ended ended;
    private final Object lock = new Object();
    private CompletableFuture<TransferResult> stopped = new CompletableFuture<>();

    Transfer(TransferRun run, FlowQueue flows, Ended ended) {
        this.run = run;
        this.flows = flows;
        this.ended = ended;
    }

    public String id() {
        return run.id();
    }

    public Direction direction() {
        return run.direction();
    }

    public String name() {
        return run.name();
    }

    public TransferState state() {
        return run.state();
    }

    public Progress progress() {
        return run.progress(0);
    }

    /**
     * Completes when this run of the transfer stops: done, failed, cancelled or paused, and only
     * after listeners received the event that says so.
     */
    public CompletableFuture<TransferResult> stopped() {
        synchronized (lock) {
            return stopped;
        }
    }

    /** Stops sending and keeps what was sent; only while queued or running. */
    public void pause() {
        if (state().allows(TransferState.Action.PAUSE)) {
            run.requestStop(Stopped.Kind.PAUSE);
        }
    }

    /** Throws the transfer away: a queued or running one stops, a paused one is cleaned up in the background. */
    public void cancel() {
        if (state() == TransferState.PAUSED && start(Stopped.Kind.CANCEL)) {
            return;
        }
        if (state().allows(TransferState.Action.CANCEL)) {
            run.requestStop(Stopped.Kind.CANCEL);
        }
    }

    /** Continues a paused transfer, or tries a failed one again; no effect on one that is running or finished. */
    public void resume() {
        start(null);
    }

    /** Starts a run; false when the state does not allow one (already running, or finished). */
    boolean start(Stopped.Kind stop) {
        // The lock makes "queue a run" and "hand out its future" one step; launching only records
        // the move and hands the flow to a thread, so nothing slow happens under it.
        synchronized (lock) {
            CompletableFuture<TransferResult> next = run.lifecycle().state() == null ? stopped : new CompletableFuture<>();
            long started = System.nanoTime();
            if (!flows.launch(run, stop, (state, reason) -> finish(next, started, state, reason))) {
                return false;
            }
            stopped = next;
            return true;
        }
    }

    // Read back from the journal: its last run stopped paused, before this process began.
    void restored() {
        stopped().complete(new TransferResult(run.id(), run.direction(), run.file(), run.key(), run.size(), TransferState.PAUSED,
                0, 0, run.crc32c(), run.progress(0).reason(), null, null, null, 0));
    }

    private void finish(CompletableFuture<TransferResult> future, long started, TransferState state, String reason) {
        double seconds = (System.nanoTime() - started) / 1e9;
        ended.ended(this, state);
        future.complete(new TransferResult(run.id(), run.direction(), run.file(), run.key(), run.size(), state,
                run.bytesMoved(), seconds, run.crc32c(), reason, state == TransferState.DONE ? run.verifiedBy() : null,
                state == TransferState.DONE ? run.skipped() : null, state == TransferState.DONE ? null : run.stopCause(),
                run.connections()));
    }
}
