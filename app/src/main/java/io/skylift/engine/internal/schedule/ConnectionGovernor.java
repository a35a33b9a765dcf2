package io.skylift.engine.internal.schedule;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets how many connections carry file bytes while transfers run: once a second it measures what
 * they moved ({@link ByteMeter}), asks {@link Aimd} and resizes the {@link PartScheduler}; a
 * congestion signal from the retry policy halves the number at once. The user's setting is the cap.
 * Each busy spell (from a transfer starting while none ran to none running at a tick) starts afresh
 * at {@code min(8, cap)}.
 *
 * <p>One daemon thread, "skylift-governor", which waits without ticking while no transfer runs (no
 * lane is open). One lock guards the {@link Aimd}; the scheduler's resize is called under it (it
 * takes the scheduler's lock, which never waits on this one), so a halving and a tick cannot apply
 * their answers out of order. Nothing else happens under it. Thread-safe.
 *
 * <pre>{@code
 * var governor = new ConnectionGovernor(scheduler, meter, 32);
 * var retry = new RetryPolicy(Backoff.PARTS, governor::congested);
 * }</pre>
 */
public final class ConnectionGovernor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGovernor.class);

    static final Duration TICK = Duration.ofSeconds(1);
    /** Looks at the backlog this many times a tick: a second counts as backlogged when at least half of them were. */
    private static final int LOOKS = 4;

    private final PartScheduler scheduler;
    private final ByteMeter meter;
    private final Object lock = new Object();
    private Aimd aimd; // guarded by lock
    private final Thread thread;
    private volatile boolean closed;

    /** The number a scheduler governed with {@code cap} starts with. */
    public static int startSize(int cap) {
        return new Aimd(cap).size();
    }

    public ConnectionGovernor(PartScheduler scheduler, ByteMeter meter, int cap) {
        checkCap(cap);
        this.scheduler = scheduler;
        this.meter = meter;
        synchronized (lock) {
            aimd = new Aimd(cap);
            apply(aimd.size());
        }
        this.thread = Thread.ofPlatform().name("skylift-governor").daemon(true).start(this::run);
    }

    /**
     * The most connections from now on. The number now is brought within it, and up to
     * {@code min(8, cap)} if below: a cap of 8 or less is so the number itself.
     */
    public void cap(int cap) {
        checkCap(cap);
        synchronized (lock) {
            int now = aimd.size();
            aimd = new Aimd(cap, Math.min(cap, Math.max(now, startSize(cap))));
            apply(aimd.size());
        }
    }

    public int cap() {
        synchronized (lock) {
            return aimd.cap();
        }
    }

    /**
     * Storage or the network pushed back (a retry for a network failure, a timeout, 429 or 5xx):
     * halves the number, at most once a tick. Called on a worker; does not block.
     */
    public void congested() {
        synchronized (lock) {
            int before = aimd.size();
            apply(aimd.congested());
            if (aimd.size() != before) {
                LOG.debug("Connections {} -> {} (storage or the network pushed back)", before, aimd.size());
            }
        }
    }

    private void run() {
        try {
            while (!closed && scheduler.awaitLane()) {
                busySpell();
                synchronized (lock) {
                    // Nothing runs: the next transfers start afresh.
                    aimd = new Aimd(aimd.cap());
                    apply(aimd.size());
                }
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    // Ticks while any lane is open. The first second is not a sample: it held the start (a link asked
    // for, connections opened, each a round trip on a long link), and it would make the first probe look better or worse than it is.
    private void busySpell() throws InterruptedException {
        long lastBytes = meter.total();
        long lastNanos = System.nanoTime();
        boolean first = true;
        while (!closed) {
            int backlogged = 0;
            PartScheduler.Load load = null;
            for (int look = 0; look < LOOKS; look++) {
                Thread.sleep(TICK.dividedBy(LOOKS));
                load = scheduler.load();
                backlogged += load.backlogged() ? 1 : 0;
            }
            long bytes = meter.total();
            long nanos = System.nanoTime();
            double perSecond = (bytes - lastBytes) * 1e9 / Math.max(1, nanos - lastNanos);
            lastBytes = bytes;
            lastNanos = nanos;
            if (load.lanes() == 0) {
                return;
            }
            if (first) {
                first = false;
                continue;
            }
            synchronized (lock) {
                int before = aimd.size();
                apply(aimd.tick(perSecond, 2 * backlogged >= LOOKS));
                if (aimd.size() != before) {
                    LOG.debug("Connections {} -> {} ({} MB/s)", before, aimd.size(), Math.round(perSecond / 1e6));
                }
            }
        }
    }

    // Under the lock.
    private void apply(int size) {
        if (scheduler.workers() != size) {
            scheduler.resize(size);
        }
    }

    private static void checkCap(int cap) {
        if (cap < 1 || cap > 64) {
            throw new IllegalArgumentException("concurrency must be from 1 to 64, was " + cap);
        }
    }

    /** Stops the thread; the scheduler keeps the number it has. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
