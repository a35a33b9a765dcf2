package io.skylift.engine.internal.schedule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one pool of workers that sends parts and ranges for every transfer: at most {@code workers}
 * jobs run at once, so at most that many connections carry file bytes, shared fairly. Each transfer
 * gets a {@link Lane}; workers take the next due job from the lanes in turn, so a transfer with
 * 10,000 parts cannot starve one with 3.
 *
 * <p>The number may change while jobs run ({@link #resize}, the {@link ConnectionGovernor} once a
 * second). A thread is started for each worker the pool ever had, up to 64, and kept: one over the
 * number waits after its job instead of ending, so growing again costs no new thread, and what a
 * worker keeps for its jobs (a download's 256 KiB write buffer) is kept once, not left to a garbage
 * collection each time the number falls.
 *
 * <p>One lock guards the lanes; it is held only to pick a job, never while a job runs. A job that
 * must wait (backoff) is resubmitted with a delay instead of sleeping in a worker.
 */
public final class PartScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PartScheduler.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workAvailable = lock.newCondition();
    private final Condition laneOpened = lock.newCondition();
    private final List<Lane> lanes = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private int next;
    private long sequence;
    private volatile int target; // written under the lock, read without it by workers()
    private int busy; // jobs running now
    private boolean closed;
    private static final ThreadLocal<Lane> RUNNING = new ThreadLocal<>();

    public PartScheduler(int workers) {
        resize(workers);
    }

    /** Jobs that may run at once: the connections carrying file bytes. Never blocks. */
    public int workers() {
        return target;
    }

    /** Grows or shrinks the pool; over the new size, no new job starts until enough running ones end. */
    public void resize(int workers) {
        if (workers < 1 || workers > 64) {
            throw new IllegalArgumentException("workers must be from 1 to 64, was " + workers);
        }
        lock.lock();
        try {
            target = workers;
            while (threads.size() < target && !closed) {
                threads.add(Thread.ofPlatform().name("skylift-part-" + threads.size()).daemon(true).start(this::work));
            }
            workAvailable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A new lane for one transfer; close it when the transfer stops. */
    public Lane lane() {
        return lane(bug -> {});
    }

    /**
     * A new lane for one transfer; {@code onBug} hears of a job that threw instead of reporting its
     * failure itself, so its transfer stops instead of waiting for a part that will never come.
     */
    public Lane lane(Consumer<Throwable> onBug) {
        lock.lock();
        try {
            Lane lane = new Lane(onBug);
            lanes.add(lane);
            laneOpened.signalAll();
            return lane;
        } finally {
            lock.unlock();
        }
    }

    private record Scheduled(long dueNanos, long order, Runnable job) implements Comparable<Scheduled> {
        @Override
        public int compareTo(Scheduled other) {
            int byTime = Long.compare(dueNanos, other.dueNanos);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }

    /**
     * How busy the pool is, at one moment.
     *
     * @param workers    jobs that may run at once
     * @param busy       jobs running
     * @param lanes      lanes open: transfers running
     * @param backlogged whether a job is due that no worker is free to take: one more worker would take it at once
     */
    public record Load(int workers, int busy, int lanes, boolean backlogged) {}

    public Load load() {
        lock.lock();
        try {
            long now = System.nanoTime();
            boolean due = false;
            for (Lane lane : lanes) {
                Scheduled head = lane.jobs.peek();
                if (head != null && head.dueNanos() <= now) {
                    due = true;
                    break;
                }
            }
            return new Load(target, busy, lanes.size(), due && busy >= target);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a lane is open (a transfer runs), for the {@link ConnectionGovernor}, which has
     * nothing to do before.
     *
     * @return false once the scheduler is closed
     */
    public boolean awaitLane() throws InterruptedException {
        lock.lock();
        try {
            while (lanes.isEmpty() && !closed) {
                laneOpened.await();
            }
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    /** One transfer's queue of jobs. Thread-safe. */
    public final class Lane implements AutoCloseable {
        private final PriorityQueue<Scheduled> jobs = new PriorityQueue<>();
        private final Consumer<Throwable> onBug;
        private int peakBusy; // guarded by the scheduler's lock

        private Lane(Consumer<Throwable> onBug) {
            this.onBug = onBug;
        }

        public void submit(Runnable job) {
            submitAfter(job, Duration.ZERO);
        }

        public void submitAfter(Runnable job, Duration delay) {
            lock.lock();
            try {
                if (!lanes.contains(this)) {
                    return;
                }
                jobs.add(new Scheduled(System.nanoTime() + delay.toNanos(), sequence++, job));
                workAvailable.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** Drops every job not yet started (pause, cancel, failure). */
        public void clear() {
            lock.lock();
            try {
                jobs.clear();
            } finally {
                lock.unlock();
            }
        }

        /**
         * The most jobs that ran at once, of any lane, when one of this lane's started: the
         * connections carrying file bytes while this transfer used them. 0 if none of its jobs ran.
         */
        public int peakConnections() {
            lock.lock();
            try {
                return peakBusy;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                jobs.clear();
                lanes.remove(this);
            } finally {
                lock.unlock();
            }
        }
    }

    /** The lane whose job this thread is running, or null off the workers. */
    public static Lane laneOfThisWorker() {
        return RUNNING.get();
    }

    private void work() {
        while (true) {
            Taken taken;
            try {
                taken = take();
            } catch (InterruptedException e) {
                return;
            }
            if (taken == null) {
                return;
            }
            RUNNING.set(taken.lane());
            try {
                taken.job().run();
            } catch (RuntimeException | Error e) {
                // A job reports its own failures to its transfer; reaching here is a bug, not a reason to lose a worker.
                LOG.error("A transfer job failed unexpectedly", e);
                taken.lane().onBug.accept(e);
            } finally {
                RUNNING.remove();
                lock.lock();
                try {
                    busy--;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private record Taken(Lane lane, Runnable job) {}

    private Taken take() throws InterruptedException {
        lock.lock();
        try {
            while (!closed) {
                if (busy >= target) {
                    // Over the number (it shrank, or every allowed job runs): wait until it grows or a job ends.
                    workAvailable.await();
                    continue;
                }
                long now = System.nanoTime();
                long earliest = Long.MAX_VALUE;
                for (int i = 0; i < lanes.size(); i++) {
                    Lane lane = lanes.get((next + i) % lanes.size());
                    Scheduled head = lane.jobs.peek();
                    if (head == null) {
                        continue;
                    }
                    if (head.dueNanos() <= now) {
                        lane.jobs.poll();
                        next = (lanes.indexOf(lane) + 1) % lanes.size();
                        busy++;
                        lane.peakBusy = Math.max(lane.peakBusy, busy);
                        return new Taken(lane, head.job());
                    }
                    earliest = Math.min(earliest, head.dueNanos());
                }
                if (earliest == Long.MAX_VALUE) {
                    workAvailable.await();
                } else {
                    workAvailable.awaitNanos(earliest - now);
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        List<Thread> stopping;
        lock.lock();
        try {
            closed = true;
            workAvailable.signalAll();
            laneOpened.signalAll();
            stopping = List.copyOf(threads);
        } finally {
            lock.unlock();
        }
        for (Thread thread : stopping) {
            thread.interrupt();
        }
    }

}
