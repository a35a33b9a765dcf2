package io.skylift.engine.internal;

import io.skylift.engine.Direction;
import io.skylift.engine.Progress;
import io.skylift.engine.TransferException;
import io.skylift.engine.TransferState;
import io.skylift.engine.internal.journal.JournalEntry;
import io.skylift.engine.internal.schedule.PartScheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import io.skylift.engine.internal.api.BackendClient;
import io.skylift.engine.internal.api.CallGuard;
import okhttp3.Call;

/**
 * The machinery one transfer's flow runs on: its state, its counters, its lane in the worker pool,
 * and the three ways it stops. Pause keeps what was sent (journal kept); cancel throws it away
 * (remote upload aborted, partial file removed); failure keeps it resumable when it can be.
 *
 * <p>The flow ({@link #execute()}) runs on one coordinator thread and waits while part jobs run on
 * the scheduler's workers. Part jobs report through {@link #partDone}, {@link #fail} and the byte
 * counters. A private lock guards only the wait for parts; no I/O happens under it, so a pause
 * from any thread returns at once whatever the workers are doing.
 */
public abstract class TransferRun {

    protected final EngineContext context;
    private final String id;
    private final Direction direction;
    private volatile String name;
    private volatile long size;
    private final Lifecycle lifecycle = new Lifecycle();
    // Why the last run stopped, until the engine moves the lifecycle with it.
    private volatile String reason;
    // A cancel is never turned back into a pause: once asked, the transfer is thrown away.
    private final AtomicReference<Stopped.Kind> stopRequest = new AtomicReference<>();
    private volatile TransferException failure;
    private volatile TransferException.Reason stopCause;
    private final AtomicLong bytesDone = new AtomicLong();
    private final AtomicLong bytesMoved = new AtomicLong();
    private final Set<Call> inFlight = ConcurrentHashMap.newKeySet();
    // The flow's own API calls: cut off by a pause or cancel only, never by a part's failure, so the
    // flow can still clean up after one (abort the upload its changed file can never complete).
    private final Set<Call> flowCalls = ConcurrentHashMap.newKeySet();
    // The flow's API calls register here, so a pause cuts them off instead of waiting them out.
    private final CallGuard guard = new CallGuard() {
        @Override
        public void opened(Call call) {
            flowCalls.add(call);
            if (stopRequest.get() != null) {
                call.cancel();
            }
        }

        @Override
        public void closed(Call call) {
            flowCalls.remove(call);
        }

        @Override
        public void checkpoint() {
            Stopped.Kind stop = stopRequest.get();
            if (stop != null) {
                throw new Stopped(stop);
            }
        }
    };
    // Guards only the count of parts left, which the flow waits on; never held across I/O.
    private final Object parts = new Object();
    private PartScheduler.Lane lane;
    private int partsLeft;
    private volatile int connections;

    protected TransferRun(EngineContext context, String id, Direction direction, String name, long size) {
        this.context = context;
        this.id = id;
        this.direction = direction;
        describe(name, size);
    }

    /** The flow: plan, create or resume, send what is missing, complete, verify. Throws {@link Stopped} when stopped. */
    protected abstract void execute();

    /** After a pause or a resumable failure: record why, so the journal shows it. */
    protected abstract void paused(String why);

    /** After a cancel: remove what the transfer left behind, locally and remotely. */
    protected abstract void cancelled();

    /** After a failure no resume can mend. By default whatever the journal holds stays, for a retry. */
    protected void failed(TransferException why) {
    }

    /** The local file, the remote key: what `--json` reports. */
    public abstract String file();

    public abstract String key();

    /** The whole file's CRC32C once known, else null. */
    public abstract String crc32c();

    /** Once done, how the stored bytes were checked ({@code TransferResult.BY_…}); null when the route checks them itself. */
    public String verifiedBy() {
        return null;
    }

    // ----- lifecycle, driven by the engine -----

    /** Runs the flow on the calling thread and returns the state it ended in. */
    public final TransferState runOnce() {
        failure = null;
        reason = null;
        stopCause = null;
        lane = context.scheduler().lane(bug -> fail(new TransferException(TransferException.Reason.INTERNAL,
                "Unexpected error: " + bug + ". It can be resumed.", true, bug)));
        try {
            return outcome();
        } catch (TransferException e) {
            // Recording the stop failed (the journal could not be written): the run fails with that.
            reason = e.getMessage();
            return TransferState.FAILED;
        } finally {
            connections = lane.peakConnections();
            lane.close();
            cancelInFlight();
        }
    }

    /**
     * The most connections carrying file bytes while the last run's parts were sent: 0 when none
     * was sent (all stored already, or it stopped first).
     */
    public int connections() {
        return connections;
    }

    // The guard covers the flow only: the cleanup after a stop (an abort, say) must still reach the API.
    private TransferState outcome() {
        try {
            ScopedValue.where(BackendClient.FLOW, guard).run(() -> {
                checkpoint();
                execute();
            });
            return TransferState.DONE;
        } catch (Stopped stopped) {
            if (stopped.kind() == Stopped.Kind.CANCEL) {
                cancelled();
                return TransferState.CANCELLED;
            }
            paused(null);
            return TransferState.PAUSED;
        } catch (TransferException e) {
            reason = e.getMessage();
            stopCause = e.reason();
            if (e.isRetryable()) {
                paused(e.getMessage());
                return TransferState.PAUSED;
            }
            failed(e);
            return TransferState.FAILED;
        }
    }

    /** A transfer read back from the journal: paused, with what it had already done. */
    public final void restored(long bytesAlreadyDone, String why) {
        bytesDone.set(bytesAlreadyDone);
        lifecycle.startAs(TransferState.PAUSED, why);
    }

    /** Sets the stop asked for before a new run starts: none, or a cancel of a paused transfer. */
    public final void prepareRun(Stopped.Kind stop) {
        stopRequest.set(stop);
    }

    /** The pause or cancel asked for and not yet acted on, or null. */
    public final Stopped.Kind stopRequest() {
        return stopRequest.get();
    }

    public final void requestStop(Stopped.Kind kind) {
        stopRequest.accumulateAndGet(kind, (asked, now) -> asked == Stopped.Kind.CANCEL ? asked : now);
        interruptParts();
        flowCalls.forEach(Call::cancel);
        Thread waiting = waitingForSlot;
        if (waiting != null) {
            java.util.concurrent.locks.LockSupport.unpark(waiting);
        }
    }

    // The flow's thread while it waits for a slot (FlowQueue), so that a stop wakes it at once.
    private volatile Thread waitingForSlot;

    final void waitingForSlot(Thread thread) {
        waitingForSlot = thread;
    }

    public final boolean stopRequested(Stopped.Kind kind) {
        return stopRequest.get() == kind;
    }

    // ----- for the flow -----

    /** Throws if the transfer should stop now: paused, cancelled, or a part failed for good. */
    protected final void checkpoint() {
        Stopped.Kind stop = stopRequest.get();
        if (stop != null) {
            throw new Stopped(stop);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Queues {@code count} part jobs' worth of waiting; call before submitting them. */
    protected final void expectParts(int count) {
        synchronized (parts) {
            partsLeft = count;
        }
    }

    /** Waits until every expected part is done, or the transfer must stop. */
    protected final void awaitParts() {
        synchronized (parts) {
            while (partsLeft > 0 && stopRequest.get() == null && failure == null) {
                try {
                    parts.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopRequest.compareAndSet(null, Stopped.Kind.PAUSE);
                }
            }
        }
        checkpoint();
    }

    /** Brings a job back into the lane it ran in, later and from any thread. */
    @FunctionalInterface
    public interface Requeue {
        void after(Duration delay);
    }

    /**
     * For the job running now on this worker, which must come back once work another job is doing
     * ends: whichever thread hears of the end puts it back into the lane it ran in. Nothing happens
     * if that run has ended meanwhile (its lane is closed), so a job of an earlier run never enters
     * the run that resumed.
     */
    protected final Requeue requeue(Runnable job) {
        PartScheduler.Lane running = PartScheduler.laneOfThisWorker();
        PartScheduler.Lane into = running != null ? running : lane;
        return delay -> into.submitAfter(job, delay);
    }

    protected final void submit(Runnable job) {
        if (!stale()) {
            lane.submit(job);
        }
    }

    protected final void submitAfter(Runnable job, Duration delay) {
        if (!stale()) {
            lane.submitAfter(job, delay);
        }
    }

    /** A part job finished for good. */
    protected final void partDone() {
        if (stale()) {
            return;
        }
        synchronized (parts) {
            partsLeft--;
            parts.notifyAll();
        }
    }

    /** A part job cannot succeed: stop the transfer with this reason (first failure wins). */
    protected final void fail(TransferException e) {
        if (stale()) {
            return;
        }
        if (failure == null) {
            failure = e;
        }
        interruptParts();
    }

    // A part job of an earlier run still finishing (a pause does not wait for them): it must not
    // count, retry or fail in the run that resumed, or that run could complete with a part missing.
    protected final boolean stale() {
        PartScheduler.Lane running = PartScheduler.laneOfThisWorker();
        return running != null && running != lane;
    }

    /** True once the transfer is stopping: part jobs should not start new work. */
    protected final boolean stopping() {
        return stopRequest.get() != null || failure != null;
    }

    protected final void track(Call call) {
        inFlight.add(call);
        if (stopping()) {
            call.cancel();
        }
    }

    protected final void untrack(Call call) {
        inFlight.remove(call);
    }

    private void interruptParts() {
        if (lane != null) {
            lane.clear();
        }
        cancelInFlight();
        synchronized (parts) {
            parts.notifyAll();
        }
    }

    private void cancelInFlight() {
        for (Call call : inFlight) {
            call.cancel();
        }
    }

    /** Writes this transfer's journal entry atomically; a journal that cannot be written stops the transfer. */
    protected final void writeJournal(JournalEntry entry) {
        try {
            context.journal().save(entry);
        } catch (IOException e) {
            throw journalFailure("write", e);
        }
    }

    /**
     * A part (or range) job finished its part: records it with its CRC32C (a small append to the
     * journal), then counts it done. A journal that cannot be written fails the transfer. A part of
     * a transfer forgotten meanwhile (cancelled, or its file changed) records nothing: the journal
     * has no entry for it any more.
     */
    protected final void partFinished(int part, String crc32c) {
        try {
            context.journal().recordPart(id, part, crc32c);
        } catch (IOException e) {
            fail(journalFailure("write", e));
            return;
        }
        partDone();
    }


    /** Removes this transfer's journal entry: it finished, or was thrown away. */
    protected final void deleteJournal() {
        try {
            context.journal().delete(id);
        } catch (IOException e) {
            throw journalFailure("update", e);
        }
    }

    private TransferException journalFailure(String verb, IOException e) {
        return new TransferException(TransferException.Reason.LOCAL_IO, "Cannot " + verb + " the transfer journal in "
                + context.journal().dir() + ": " + e.getMessage(), false, e);
    }

    /** Bytes moved (positive) or lost with a failed attempt (negative). */
    protected final void moved(long bytes) {
        bytesDone.addAndGet(bytes);
        bytesMoved.addAndGet(bytes);
        context.meter().moved(bytes);
    }

    /** Bytes found already done when resuming: progress, but not moved by this process. */
    protected final void alreadyDone(long bytes) {
        bytesDone.addAndGet(bytes);
    }

    protected final void resetProgress() {
        bytesDone.set(0);
    }

    protected final void describe(String name, long size) {
        this.name = name;
        this.size = size;
    }

    // ----- for the engine -----

    public final String id() {
        return id;
    }

    public final Direction direction() {
        return direction;
    }

    public final String name() {
        return name;
    }

    public final long size() {
        return size;
    }

    public final long bytesDone() {
        return bytesDone.get();
    }

    public final long bytesMoved() {
        return bytesMoved.get();
    }

    /** The state now; a transfer not yet queued counts as queued. */
    public final TransferState state() {
        TransferState state = lifecycle.state();
        return state == null ? TransferState.QUEUED : state;
    }

    public final Lifecycle lifecycle() {
        return lifecycle;
    }

    /** Why the last run stopped (a pause by a problem, or a failure), else null. */
    public final String stopReason() {
        return reason;
    }

    /** The kind of problem that stopped the last run, else null. */
    public final TransferException.Reason stopCause() {
        return stopCause;
    }

    /**
     * Whether this transfer takes one of the small slots ({@code FlowQueue}): a flow that mostly waits
     * for a batched create and one worker, so many may be in flight at once. None by default.
     */
    public boolean small() {
        return false;
    }

    /**
     * Once done, why nothing was sent, else null: {@code TransferResult.SKIPPED_IDENTICAL} (storage
     * holds this very file) or {@code TransferResult.SKIPPED_EXISTS} (another file has the name, and
     * the person chose to skip).
     */
    public String skipped() {
        return null;
    }

    /** The flow has sent everything and is checking what storage holds. */
    protected final void verifying() {
        lifecycle.moveTo(TransferState.VERIFYING, null);
    }

    public final Progress progress(long bytesPerSecond) {
        long done = Math.min(bytesDone(), size);
        TransferState state = state();
        Duration eta = bytesPerSecond > 0 && state == TransferState.RUNNING
                ? Duration.ofSeconds((size - done + bytesPerSecond - 1) / bytesPerSecond) : null;
        return new Progress(id, direction, name, state, done, size, bytesPerSecond, eta, lifecycle.reason(), 0);
    }
}
