package io.skylift.engine.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class PartSchedulerTest {

    static final Duration DEADLINE = Duration.ofSeconds(10);

    final List<PartScheduler> schedulers = new ArrayList<>();

    PartScheduler scheduler(int workers) {
        PartScheduler scheduler = new PartScheduler(workers);
        schedulers.add(scheduler);
        return scheduler;
    }

    @AfterEach
    void closeSchedulers() {
        schedulers.forEach(PartScheduler::close);
    }

    static void await(CountDownLatch latch) throws InterruptedException {
        assertThat(latch.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).as("waited for the latch").isTrue();
    }

    static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited for: " + what).isNegative();
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** A job that blocks its worker until {@code release} opens (bounded, so a failing test cannot hang). */
    static Runnable blockUntil(CountDownLatch release) {
        return () -> {
            try {
                release.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Test
    void aLaneWithFewJobsIsNotStarvedByALaneWithManyThatWasFilledFirst() throws InterruptedException {
        PartScheduler scheduler = scheduler(1);
        PartScheduler.Lane a = scheduler.lane();
        PartScheduler.Lane b = scheduler.lane();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch bSubmitted = new CountDownLatch(1);
        CountDownLatch allDone = new CountDownLatch(23);

        // A's first job holds the only worker until everything is queued, so the order does not depend on timing.
        for (int i = 1; i <= 20; i++) {
            String name = "A" + i;
            boolean first = i == 1;
            a.submit(() -> {
                if (first) {
                    blockUntil(bSubmitted).run();
                }
                order.add(name);
                allDone.countDown();
            });
        }
        for (int i = 1; i <= 3; i++) {
            String name = "B" + i;
            b.submit(() -> {
                order.add(name);
                allDone.countDown();
            });
        }
        bSubmitted.countDown();
        await(allDone);

        assertThat(order).hasSize(23);
        int a10 = order.indexOf("A10");
        assertThat(order.indexOf("B1")).isLessThan(a10);
        assertThat(order.indexOf("B2")).isLessThan(a10);
        assertThat(order.indexOf("B3")).isLessThan(a10);
        // Round robin: after A1 the lanes take turns.
        assertThat(order.subList(0, 6)).containsExactly("A1", "B1", "A2", "B2", "A3", "B3");
        // Within a lane the jobs keep their submission order.
        assertThat(order.stream().filter(n -> n.startsWith("A")).toList())
                .containsExactly("A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9", "A10",
                        "A11", "A12", "A13", "A14", "A15", "A16", "A17", "A18", "A19", "A20");
    }

    @Test
    void aJobKnowsWhichLaneItRunsForSoAnEarlierRunsJobCanBeToldApart() throws InterruptedException {
        PartScheduler scheduler = scheduler(2);
        PartScheduler.Lane earlier = scheduler.lane();
        PartScheduler.Lane later = scheduler.lane();
        List<PartScheduler.Lane> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(2);

        earlier.submit(() -> {
            seen.add(PartScheduler.laneOfThisWorker());
            done.countDown();
        });
        later.submit(() -> {
            seen.add(PartScheduler.laneOfThisWorker());
            done.countDown();
        });

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactlyInAnyOrder(earlier, later);
        assertThat(PartScheduler.laneOfThisWorker()).as("off the workers").isNull();
    }

    @Test
    void aDelayedJobWaitsForItsDelayWhileOtherLanesKeepWorking() throws InterruptedException {
        PartScheduler scheduler = scheduler(1);
        PartScheduler.Lane delayedLane = scheduler.lane();
        PartScheduler.Lane busyLane = scheduler.lane();
        Duration delay = Duration.ofMillis(400);
        AtomicLong delayedRanAt = new AtomicLong();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch delayedDone = new CountDownLatch(1);
        CountDownLatch othersDone = new CountDownLatch(5);

        long submittedAt = System.nanoTime();
        delayedLane.submitAfter(() -> {
            delayedRanAt.set(System.nanoTime());
            order.add("delayed");
            delayedDone.countDown();
        }, delay);
        for (int i = 1; i <= 5; i++) {
            String name = "other" + i;
            busyLane.submit(() -> {
                order.add(name);
                othersDone.countDown();
            });
        }
        await(othersDone);
        await(delayedDone);

        assertThat(Duration.ofNanos(delayedRanAt.get() - submittedAt)).isGreaterThanOrEqualTo(delay);
        assertThat(order).containsExactly("other1", "other2", "other3", "other4", "other5", "delayed");
    }

    @Test
    void aDelayedJobInALaneDoesNotHoldBackThatLanesLaterDueJobs() throws InterruptedException {
        PartScheduler scheduler = scheduler(1);
        PartScheduler.Lane lane = scheduler.lane();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(2);

        lane.submitAfter(() -> {
            order.add("retry");
            done.countDown();
        }, Duration.ofMillis(300));
        lane.submit(() -> {
            order.add("fresh");
            done.countDown();
        });
        await(done);

        assertThat(order).containsExactly("fresh", "retry");
    }

    @Test
    void clearingALaneDropsTheJobsNotYetStarted() throws InterruptedException {
        PartScheduler scheduler = scheduler(1);
        PartScheduler.Lane lane = scheduler.lane();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch gateStarted = new CountDownLatch(1);
        CountDownLatch markerRan = new CountDownLatch(1);
        AtomicInteger droppedRan = new AtomicInteger();

        lane.submit(() -> {
            gateStarted.countDown();
            blockUntil(release).run();
        });
        await(gateStarted);
        for (int i = 0; i < 5; i++) {
            lane.submit(droppedRan::incrementAndGet);
        }
        lane.clear();
        // Submitted after the dropped jobs in the same lane: had they survived, they would run before it.
        lane.submit(markerRan::countDown);
        release.countDown();
        await(markerRan);

        assertThat(droppedRan).hasValue(0);
    }

    @Test
    void aClosedLaneAcceptsNoMoreJobs() throws InterruptedException {
        PartScheduler scheduler = scheduler(1);
        PartScheduler.Lane closed = scheduler.lane();
        PartScheduler.Lane open = scheduler.lane();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch gateStarted = new CountDownLatch(1);
        CountDownLatch markerRan = new CountDownLatch(1);
        AtomicInteger closedRan = new AtomicInteger();

        open.submit(() -> {
            gateStarted.countDown();
            blockUntil(release).run();
        });
        await(gateStarted);
        closed.close();
        closed.submit(closedRan::incrementAndGet);
        closed.submitAfter(closedRan::incrementAndGet, Duration.ZERO);
        // The worker just served the open lane, so its next turn would go to the closed lane if it still held jobs.
        open.submit(markerRan::countDown);
        release.countDown();
        await(markerRan);

        assertThat(closedRan).hasValue(0);
    }

    @Test
    void closingALaneDropsItsQueuedJobs() throws InterruptedException {
        PartScheduler scheduler = scheduler(1);
        PartScheduler.Lane closing = scheduler.lane();
        PartScheduler.Lane open = scheduler.lane();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch gateStarted = new CountDownLatch(1);
        CountDownLatch markerRan = new CountDownLatch(1);
        AtomicInteger droppedRan = new AtomicInteger();

        open.submit(() -> {
            gateStarted.countDown();
            blockUntil(release).run();
        });
        await(gateStarted);
        closing.submit(droppedRan::incrementAndGet);
        closing.submit(droppedRan::incrementAndGet);
        closing.close();
        open.submit(markerRan::countDown);
        release.countDown();
        await(markerRan);

        assertThat(droppedRan).hasValue(0);
    }

    @Test
    void noMoreJobsRunAtOnceThanThereAreWorkers() throws InterruptedException {
        int workers = 3;
        int jobs = 10;
        PartScheduler scheduler = scheduler(workers);
        PartScheduler.Lane lane = scheduler.lane();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(jobs);
        CountDownLatch finished = new CountDownLatch(jobs);
        CountDownLatch oneMoreThanWorkers = new CountDownLatch(workers + 1);

        for (int i = 0; i < jobs; i++) {
            lane.submit(() -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                started.countDown();
                oneMoreThanWorkers.countDown();
                blockUntil(release).run();
                running.decrementAndGet();
                finished.countDown();
            });
        }

        awaitCondition("all workers busy", () -> running.get() >= workers);
        // Every worker is blocked: a fourth job must not start, however long we give it.
        assertThat(oneMoreThanWorkers.await(500, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(started.getCount()).isEqualTo(jobs - workers);

        release.countDown();
        await(finished);
        assertThat(maxRunning).hasValue(workers);
        assertThat(scheduler.workers()).isEqualTo(workers);
    }

    @Test
    void afterShrinkingNoNewJobStartsUntilFewerRunThanTheNewNumberAndGrowingStartsThemAtOnce() throws InterruptedException {
        PartScheduler scheduler = scheduler(4);
        PartScheduler.Lane lane = scheduler.lane();
        CountDownLatch firstFour = new CountDownLatch(4);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        for (int i = 0; i < 4; i++) {
            lane.submit(() -> {
                firstFour.countDown();
                blockUntil(releaseFirst).run();
            });
        }
        await(firstFour);
        scheduler.resize(2);
        AtomicInteger laterStarted = new AtomicInteger();
        AtomicInteger laterRunning = new AtomicInteger();
        AtomicInteger laterMostAtOnce = new AtomicInteger();
        CountDownLatch releaseLater = new CountDownLatch(1);
        CountDownLatch laterDone = new CountDownLatch(6);
        for (int i = 0; i < 6; i++) {
            lane.submit(() -> {
                laterStarted.incrementAndGet();
                laterMostAtOnce.accumulateAndGet(laterRunning.incrementAndGet(), Math::max);
                blockUntil(releaseLater).run();
                laterRunning.decrementAndGet();
                laterDone.countDown();
            });
        }
        // Four still run over the new number of two: none of the later jobs may start.
        assertThat(laterDone.await(300, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(laterStarted).hasValue(0);
        assertThat(scheduler.workers()).isEqualTo(2);

        releaseFirst.countDown();
        awaitCondition("two later jobs running", () -> laterStarted.get() == 2);
        assertThat(laterDone.await(300, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(laterStarted).as("no more than the new number").hasValue(2);

        scheduler.resize(5);
        awaitCondition("five later jobs running", () -> laterStarted.get() == 5);
        releaseLater.countDown();
        await(laterDone);
        assertThat(laterMostAtOnce).hasValue(5);
    }

    @Test
    void theLoadIsBackloggedOnlyWhileADueJobWaitsForAFullPool() throws InterruptedException {
        PartScheduler scheduler = scheduler(2);
        assertThat(scheduler.load()).isEqualTo(new PartScheduler.Load(2, 0, 0, false));
        PartScheduler.Lane lane = scheduler.lane();
        CountDownLatch bothBusy = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 2; i++) {
            lane.submit(() -> {
                bothBusy.countDown();
                blockUntil(release).run();
            });
        }
        await(bothBusy);
        assertThat(scheduler.load()).isEqualTo(new PartScheduler.Load(2, 2, 1, false));

        lane.submitAfter(() -> {}, Duration.ofHours(1));
        assertThat(scheduler.load().backlogged()).as("a job not yet due waits for its time, not for a worker").isFalse();
        lane.submit(() -> {});
        assertThat(scheduler.load()).isEqualTo(new PartScheduler.Load(2, 2, 1, true));

        release.countDown();
        awaitCondition("the pool idle", () -> scheduler.load().busy() == 0);
        assertThat(scheduler.load().backlogged()).isFalse();
        lane.close();
        assertThat(scheduler.load().lanes()).isZero();
    }

    @Test
    void aLaneRemembersTheMostJobsRunningAtOnceWhenOneOfItsOwnStarted() throws InterruptedException {
        PartScheduler scheduler = scheduler(3);
        PartScheduler.Lane first = scheduler.lane();
        PartScheduler.Lane second = scheduler.lane();
        assertThat(first.peakConnections()).isZero();
        CountDownLatch started = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(3);
        Runnable blocked = () -> {
            started.countDown();
            blockUntil(release).run();
            done.countDown();
        };
        first.submit(blocked);
        first.submit(blocked);
        awaitCondition("two of the first lane's jobs running", () -> scheduler.load().busy() == 2);
        second.submit(blocked);
        await(started);
        release.countDown();
        await(done);
        CountDownLatch alone = new CountDownLatch(1);
        first.submit(alone::countDown);
        await(alone);

        assertThat(first.peakConnections()).isEqualTo(2);
        assertThat(second.peakConnections()).isEqualTo(3);
    }

    @Test
    void awaitingALaneReturnsOnceOneOpensAndFalseOnceTheSchedulerCloses() throws Exception {
        PartScheduler scheduler = scheduler(1);
        var waited = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return scheduler.awaitLane();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(waited).isNotDone();
        scheduler.lane();
        assertThat(waited.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        PartScheduler other = scheduler(1);
        var closedWhileWaiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return other.awaitLane();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        other.close();
        assertThat(closedWhileWaiting.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isFalse();
    }

    @Test
    void aJobThatThrowsDoesNotKillItsWorker() throws InterruptedException {
        PartScheduler scheduler = scheduler(1);
        PartScheduler.Lane lane = scheduler.lane();
        CountDownLatch laterJobsRan = new CountDownLatch(3);

        lane.submit(() -> {
            throw new IllegalStateException("a bug in a job");
        });
        lane.submit(laterJobsRan::countDown);
        lane.submit(() -> {
            throw new AssertionError("an error in a job");
        });
        lane.submit(laterJobsRan::countDown);
        lane.submit(laterJobsRan::countDown);

        await(laterJobsRan);
    }

    @Test
    void closingTheSchedulerStopsEveryWorkerThreadEvenBusyOnes() throws InterruptedException {
        int workers = 3;
        PartScheduler scheduler = scheduler(workers);
        PartScheduler.Lane lane = scheduler.lane();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch allBusy = new CountDownLatch(workers);
        CountDownLatch release = new CountDownLatch(1);

        // Three jobs blocked at once must be on three different workers: that names every worker thread.
        for (int i = 0; i < workers; i++) {
            lane.submit(() -> {
                threads.add(Thread.currentThread());
                allBusy.countDown();
                blockUntil(release).run();
            });
        }
        await(allBusy);
        assertThat(threads).hasSize(workers);
        assertThat(threads).allMatch(Thread::isAlive);

        // Closing interrupts the running jobs; the workers must then exit instead of taking more work.
        lane.submit(() -> {});
        scheduler.close();
        release.countDown();

        for (Thread thread : threads) {
            thread.join(DEADLINE);
            assertThat(thread.isAlive()).as("%s still alive", thread.getName()).isFalse();
        }
    }

    @Test
    void idleWorkersStopWhenTheSchedulerCloses() throws InterruptedException {
        PartScheduler scheduler = scheduler(2);
        PartScheduler.Lane lane = scheduler.lane();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch bothBusy = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 2; i++) {
            lane.submit(() -> {
                threads.add(Thread.currentThread());
                bothBusy.countDown();
                blockUntil(release).run();
            });
        }
        await(bothBusy);
        release.countDown();
        // Wait until both are back waiting for work (not running a job) before closing.
        awaitCondition("workers idle", () -> threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
        // A delayed job keeps a worker in a timed wait; close must end that too.
        lane.submitAfter(() -> {}, Duration.ofHours(1));

        scheduler.close();

        for (Thread thread : threads) {
            thread.join(DEADLINE);
            assertThat(thread.isAlive()).as("%s still alive", thread.getName()).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65})
    void theNumberOfWorkersMustBeFromOneTo64(int workers) {
        assertThatThrownBy(() -> new PartScheduler(workers))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(workers));
    }
}
