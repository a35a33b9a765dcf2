package io.skylift.engine;

import io.skylift.engine.internal.Stopped;
import io.skylift.engine.internal.TransferRun;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A handle on one upload or download. Pause keeps everything sent; cancel throws it away; resume
 * continues a paused (or resumably failed) transfer. Thread-safe.
 *
 * <pre>{@code
 * Transfer t = engine.upload(Path.of("IMG_0001.CR3"), "2026-11-22 wedding");
 * TransferResult r = t.stopped().join();   // DONE, FAILED, CANCELLED or PAUSED
 * }</pre>
 */
public final class Transfer {

    private final TransferRun run;
    private final Consumer<Transfer> restart;
    private volatile CompletableFuture<TransferResult> stopped = new CompletableFuture<>();
    private volatile long startedNanos = System.nanoTime();

    Transfer(TransferRun run, Consumer<Transfer> restart) {
        this.run = run;
        this.restart = restart;
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

    /** Completes when this run of the transfer stops: done, failed, cancelled or paused. */
    public CompletableFuture<TransferResult> stopped() {
        return stopped;
    }

    public void pause() {
        run.requestStop(Stopped.Kind.PAUSE);
    }

    public void cancel() {
        run.requestStop(Stopped.Kind.CANCEL);
    }

    /** Continues a paused or resumably failed transfer; no effect on one that is running or finished. */
    public synchronized void resume() {
        TransferState state = run.state();
        if (state == TransferState.PAUSED || state == TransferState.FAILED) {
            stopped = new CompletableFuture<>();
            startedNanos = System.nanoTime();
            restart.accept(this);
        }
    }

    TransferRun run() {
        return run;
    }

    void finish(TransferState state) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        stopped.complete(new TransferResult(run.id(), run.direction(), run.file(), run.key(), run.size(), state,
                run.bytesMoved(), seconds, run.crc32c(), run.reason()));
    }
}
