package io.skylift.engine.internal.progress;

import io.skylift.engine.Progress;
import io.skylift.engine.TransferState;
import io.skylift.engine.internal.Lifecycle;
import io.skylift.engine.internal.TransferRun;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers every transfer's events from one thread, in order, each with the next sequence number:
 * state changes as they happen (in the order {@link Lifecycle} recorded them), and progress at most
 * {@value #HZ} times a second per transfer, only when bytes moved. A progress event always carries
 * the state last delivered, so a snapshot can never contradict a state change that came before it,
 * and nothing is published for a transfer after the event that stopped its run.
 *
 * <p>Thread-safe. The queue of state changes holds at most a few per run of each live transfer
 * (the table has at most four moves from QUEUED to a stop); progress is never queued, only sampled.
 */
public final class EventPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

    /** Receives events on the publisher's thread; must not block. */
    public interface Sink {
        void stateChanged(Progress progress);

        void progressed(Progress progress);
    }

    static final int HZ = 10;
    private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1) / HZ;

    private record Move(TransferRun run, TransferState state, String reason, Runnable afterDelivery) {}

    private static final class Watched {
        final RateMeter rate = new RateMeter();
        long lastBytes = -1;
        TransferState lastState;
        String lastReason;
    }

    private final Sink sink;
    private final LinkedBlockingQueue<Move> moves = new LinkedBlockingQueue<>();
    // Touched by whoever delivers (one at a time) and by the ticks (the publisher's thread).
    private final Map<TransferRun, Watched> watched = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Semaphore wake = new Semaphore(0);
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean closed;

    public EventPublisher(Sink sink) {
        this.sink = sink;
        this.thread = Thread.ofPlatform().name("skylift-events").daemon(true).start(this::loop);
    }

    /** The announcer for one run's lifecycle: its moves are delivered by this publisher. */
    public Lifecycle.Announcer announcerFor(TransferRun run) {
        return (state, reason, afterDelivery) -> {
            moves.add(new Move(run, state, reason, afterDelivery));
            wake.release();
            if (closed) {
                // Nobody is left to take it, and the caller may hold a lock: deliver from a thread of
                // its own, so no one waits forever and no listener is called under a lock.
                Thread.ofVirtual().name("skylift-events-late").start(this::drain);
            }
        };
    }

    private void loop() {
        long nextTick = System.nanoTime() + TICK_NANOS;
        while (!closed) {
            try {
                if (wake.tryAcquire(Math.max(0, nextTick - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                break;
            }
            drain();
            if (System.nanoTime() >= nextTick) {
                tick();
                nextTick = System.nanoTime() + TICK_NANOS;
            }
        }
        drain();
    }

    // One deliverer at a time, without holding a lock across listener calls: whoever claims the
    // flag delivers everything queued, in order, and looks again after letting go, so nothing is
    // left behind by a move added just as it finished.
    private void drain() {
        while (!moves.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                Move move;
                while ((move = moves.poll()) != null) {
                    deliver(move);
                }
            } finally {
                draining.set(false);
            }
        }
    }

    private void deliver(Move move) {
        Watched w = watched.computeIfAbsent(move.run(), r -> new Watched());
        long now = System.currentTimeMillis();
        Progress raw = move.run().progress(0);
        if (move.state() != TransferState.RUNNING) {
            w.rate.reset();
        }
        w.lastState = move.state();
        w.lastReason = move.reason();
        w.lastBytes = move.run().bytesDone();
        Progress event = stamped(raw, move.state(), move.reason(), w.rate.bytesPerSecond(now, raw.bytesDone()));
        if (stopsTheRun(move.state())) {
            watched.remove(move.run());
        }
        try {
            sink.stateChanged(event);
        } catch (RuntimeException e) {
            LOG.error("A transfer listener failed on a state change", e);
        }
        if (move.afterDelivery() != null) {
            move.afterDelivery().run();
        }
    }

    private void tick() {
        long now = System.currentTimeMillis();
        // forEach, not entrySet(): the map's entry objects, made anew for each of thousands of transfers
        // ten times a second, were much of what the engine allocated.
        watched.forEach((run, w) -> {
            // Most of thousands of queued transfers do not move between ticks: no snapshot for those.
            long bytes = run.bytesDone();
            w.rate.sample(now, bytes);
            if (bytes == w.lastBytes) {
                return;
            }
            Progress raw = run.progress(0);
            // The raw count, as compared above: the snapshot's is capped at the size, and a count run past it
            // would otherwise look moved on every tick.
            w.lastBytes = bytes;
            try {
                sink.progressed(stamped(raw, w.lastState, w.lastReason, w.rate.bytesPerSecond(now, raw.bytesDone())));
            } catch (RuntimeException e) {
                LOG.error("A transfer listener failed on progress", e);
            }
        });
    }

    private static boolean stopsTheRun(TransferState state) {
        return state.isTerminal() || state == TransferState.PAUSED;
    }

    private Progress stamped(Progress raw, TransferState state, String reason, long rate) {
        java.time.Duration eta = rate > 0 && state == TransferState.RUNNING
                ? java.time.Duration.ofSeconds((raw.bytesTotal() - raw.bytesDone() + rate - 1) / rate) : null;
        return new Progress(raw.transferId(), raw.direction(), raw.name(), state, raw.bytesDone(), raw.bytesTotal(), rate, eta,
                reason, sequence.incrementAndGet());
    }

    /** Stops the thread after delivering every state change already announced. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drain();
    }
}
