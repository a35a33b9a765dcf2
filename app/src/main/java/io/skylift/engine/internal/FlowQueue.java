package io.skylift.engine.internal;

import io.skylift.engine.TransferState;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each transfer's flow on a virtual thread of its own, at most {@code activeTransfers} at a
 * time, first come first served; the others wait as QUEUED, parked, and a pause or cancel wakes a
 * waiting one at once. Waiting costs nothing while it lasts: no polling, and a waiter that stops
 * leaves its place in O(1), so thousands of queued files do not make each start or stop dearer. Uploads of files below {@value #SMALL_BYTES} bytes (one PUT each
 * with the default plan) have slots of their own, {@value #SMALL_FLOWS} of them: such a flow spends most of its
 * time waiting for a batched create or a worker, so a folder of thousands needs many in flight to fill
 * the batches and keep the workers busy, while a big file never waits behind them. Every run moves its transfer's {@link Lifecycle} from QUEUED
 * to exactly one stop (PAUSED, DONE, FAILED or CANCELLED). Thread-safe.
 */
public final class FlowQueue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FlowQueue.class);

    /** Told how a run stopped, after listeners were told. */
    @FunctionalInterface
    public interface Stop {
        void stopped(TransferState state, String reason);
    }

    /** Below this size a transfer takes a small slot. */
    public static final long SMALL_BYTES = 16L * 1024 * 1024;
    /** Small transfers running at once: a full batch of creates and the one filling behind it. */
    static final int SMALL_FLOWS = 128;

    private final Slots slots;
    private final Slots smallSlots = new Slots(SMALL_FLOWS);
    private final ExecutorService flows = Executors.newVirtualThreadPerTaskExecutor();

    public FlowQueue(int activeTransfers) {
        this.slots = new Slots(activeTransfers);
    }

    /**
     * Queues a new run of {@code run}: started, or continued after a pause or failure, or (with
     * {@code stop} = CANCEL) continued only to clean up. Returns false, doing nothing, when the
     * transfer's state does not allow queueing it (it is running, or finished).
     */
    public boolean launch(TransferRun run, Stopped.Kind stop, Stop onStop) {
        TransferState now = run.lifecycle().state();
        if (now != null && !now.canMoveTo(TransferState.QUEUED)) {
            return false;
        }
        // Before the move, not after: a pause asked the moment the transfer shows as queued must hold.
        run.prepareRun(stop);
        if (!run.lifecycle().moveTo(TransferState.QUEUED, null)) {
            return false;
        }
        flows.submit(() -> flow(run, onStop));
        return true;
    }

    private void flow(TransferRun run, Stop onStop) {
        TransferState end;
        String bug = null;
        boolean slot = false;
        Slots lane = run.small() ? smallSlots : slots;
        try {
            slot = awaitSlot(run, lane);
            if (slot) {
                run.lifecycle().moveTo(TransferState.RUNNING, null);
                end = run.runOnce();
            } else {
                // Stopped while waiting, so nothing was sent in this run: a pause just stops waiting;
                // a cancel still cleans up what earlier runs left.
                end = run.stopRequest() == Stopped.Kind.CANCEL ? run.runOnce() : TransferState.PAUSED;
            }
        } catch (InterruptedException e) {
            end = TransferState.PAUSED;
        } catch (RuntimeException | Error e) {
            LOG.error("Transfer {} stopped on an unexpected error", run.id(), e);
            end = TransferState.FAILED;
            bug = "Unexpected error: " + e;
        } finally {
            if (slot) {
                lane.release();
            }
        }
        end(run, end, bug, onStop);
    }

    // Waits for a slot; false when the transfer was paused or cancelled meanwhile.
    private boolean awaitSlot(TransferRun run, Slots lane) throws InterruptedException {
        run.waitingForSlot(Thread.currentThread());
        try {
            return lane.acquire(() -> run.stopRequest() != null);
        } finally {
            run.waitingForSlot(null);
        }
    }

    /**
     * Slots of one kind, handed out first come first served. A waiter parks until a slot is passed to
     * it or its transfer stops (which unparks it); one that stops is only marked, and skipped when its
     * turn comes. Guarded by its own lock; no I/O under it.
     */
    private static final class Slots {
        private static final class Waiter {
            final Thread thread = Thread.currentThread();
            boolean granted; // guarded by lock
            boolean withdrawn; // guarded by lock
        }

        private final Object lock = new Object();
        private final int limit;
        private int taken; // guarded by lock
        private final ArrayDeque<Waiter> queue = new ArrayDeque<>(); // guarded by lock; at most one per launched flow

        Slots(int limit) {
            this.limit = limit;
        }

        /** True with a slot taken; false, holding none, once {@code stopped} says so. */
        boolean acquire(BooleanSupplier stopped) throws InterruptedException {
            Waiter me;
            synchronized (lock) {
                if (queue.isEmpty() && taken < limit) {
                    taken++;
                    return true;
                }
                me = new Waiter();
                queue.add(me);
            }
            for (boolean first = true; ; first = false) {
                // No timed wake: with thousands queued, each wake thaws a parked stack, and at one a second
                // that alone kept a core busy. Nothing is lost without it: a release marks the waiter
                // under the lock before unparking it, a stop sets its request before reading the thread
                // to unpark (the waiter publishes its thread before its first look), and an unpark
                // that comes before the park is kept as the thread's permit. Not before the first look:
                // a stop asked just before the waiter was known woke nobody.
                if (!first) {
                    LockSupport.park(this);
                }
                boolean interrupted = Thread.interrupted();
                synchronized (lock) {
                    if (me.granted && !interrupted) {
                        return true;
                    }
                    if (!me.granted && (interrupted || stopped.getAsBoolean())) {
                        me.withdrawn = true;
                        if (interrupted) {
                            throw new InterruptedException();
                        }
                        return false;
                    }
                }
                if (interrupted) { // granted just as the thread was interrupted: pass the slot on
                    release();
                    throw new InterruptedException();
                }
            }
        }

        void release() {
            Waiter next;
            synchronized (lock) {
                do {
                    next = queue.poll();
                } while (next != null && next.withdrawn);
                if (next == null) {
                    taken--;
                    return;
                }
                next.granted = true; // the slot passes to it; the count stays
            }
            LockSupport.unpark(next.thread);
        }
    }

    private static void end(TransferRun run, TransferState state, String bug, Stop onStop) {
        String reason = bug != null ? bug : state == TransferState.DONE || state == TransferState.CANCELLED ? null : run.stopReason();
        if (!run.lifecycle().moveTo(state, reason, () -> onStop.stopped(state, reason))) {
            // Only a bug in a flow gets here; whoever waits for the run must still hear that it stopped.
            LOG.error("Transfer {} cannot move from {} to {}", run.id(), run.state(), state);
            onStop.stopped(state, reason);
        }
    }

    /** Interrupts the flows still waiting or running (they stop paused) and waits a little for them to record it. */
    @Override
    public void close() {
        flows.shutdownNow();
        try {
            flows.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
