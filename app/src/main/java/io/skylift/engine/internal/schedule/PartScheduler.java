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
 * The one pool of workers that sends parts and ranges for every transfer: {@code workers} threads,
 * so at most that many connections carry file bytes at once, shared fairly. Each transfer gets a
 * {@link Lane}; workers take the next due job from the lanes in turn, so a transfer with 10,000
 * parts cannot starve one with 3.
 *
 * <p>One lock guards the lanes; it is held only to pick a job, never while a job runs. A job that
 * must wait (backoff) is resubmitted with a delay instead of sleeping in a worker.
 */
public final class PartScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PartScheduler.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workAvailable = lock.newCondition();
    private final List<Lane> lanes = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private int next;
    private long sequence;
    private int target;
    private boolean closed;
    private static final ThreadLocal<Lane> RUNNING = new ThreadLocal<>();

    public PartScheduler(int workers) {
        resize(workers);
    }

    public int workers() {
        lock.lock();
        try {
            return target;
        } finally {
            lock.unlock();
        }
    }

    /** Grows or shrinks the pool; a worker over the new size leaves after its current job. */
    public void resize(int workers) {
        if (workers < 1 || workers > 64) {
            throw new IllegalArgumentException("workers must be from 1 to 64, was " + workers);
        }
        lock.lock();
        try {
            target = workers;
            while (threads.size() < target) {
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

    /** One transfer's queue of jobs. Thread-safe. */
    public final class Lane implements AutoCloseable {
        private final PriorityQueue<Scheduled> jobs = new PriorityQueue<>();
        private final Consumer<Throwable> onBug;

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
            }
        }
    }

    private record Taken(Lane lane, Runnable job) {}

    private Taken take() throws InterruptedException {
        lock.lock();
        try {
            while (!closed) {
                if (threads.size() > target) {
                    // Shrinking: this worker leaves the pool.
                    threads.remove(Thread.currentThread());
                    return null;
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
            stopping = List.copyOf(threads);
        } finally {
            lock.unlock();
        }
        for (Thread thread : stopping) {
            thread.interrupt();
        }
    }

}
