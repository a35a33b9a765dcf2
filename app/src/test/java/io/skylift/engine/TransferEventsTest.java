package io.skylift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a view relies on from the engine's events: one ordered stream, one stop per run, nothing after it. */
class TransferEventsTest {

    static final int PART = 5 * 1024 * 1024;

    @TempDir
    static Path dir;
    static EngineFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = EngineFixture.start(dir, PART);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private record Seen(Progress progress, boolean stateChange, String thread) {}

    private static final class Recorder implements TransferListener {
        final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
        final Set<String> stoppedSeen = ConcurrentHashMap.newKeySet();

        @Override
        public void onProgress(Progress progress) {
            seen.add(new Seen(progress, false, Thread.currentThread().getName()));
        }

        @Override
        public void onStateChanged(Progress progress) {
            seen.add(new Seen(progress, true, Thread.currentThread().getName()));
            if (progress.state().isTerminal() || progress.state() == TransferState.PAUSED) {
                stoppedSeen.add(progress.transferId());
            }
        }

        List<Seen> of(String id) {
            return seen.stream().filter(s -> s.progress().transferId().equals(id)).toList();
        }
    }

    @Test
    void manyTransfersFinishingAtOnceEachEndWithExactlyOneTerminalEventThatComesLastAndBeforeStopped() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("many"));
        for (int i = 0; i < 120; i++) {
            RoundTripTest.randomFile(folder, "small-" + i + ".bin", 1 + i * 97L, i);
        }
        for (int i = 0; i < 4; i++) {
            RoundTripTest.randomFile(folder, "large-" + i + ".bin", 2L * PART + i, 1000 + i);
        }
        Recorder recorder = new Recorder();
        fixture.engine.addListener(recorder);
        Set<String> stoppedBeforeEvent = ConcurrentHashMap.newKeySet();
        try {
            List<Transfer> transfers = fixture.engine.upload(folder, "events");
            for (Transfer t : transfers) {
                t.stopped().thenRun(() -> {
                    if (!recorder.stoppedSeen.contains(t.id())) {
                        stoppedBeforeEvent.add(t.name());
                    }
                });
            }
            for (Transfer t : transfers) {
                assertThat(t.stopped().join().state()).as(t.name()).isEqualTo(TransferState.DONE);
            }

            assertThat(stoppedBeforeEvent).as("stopped() completed before its last event was delivered").isEmpty();
            assertThat(recorder.seen).extracting(Seen::thread).as("every event comes from one thread").containsOnly(
                    recorder.seen.peek().thread());
            List<Long> sequence = recorder.seen.stream().map(s -> s.progress().sequence()).toList();
            assertThat(sequence).as("events arrive in the order of their sequence numbers").isSorted().doesNotHaveDuplicates();
            for (Transfer t : transfers) {
                List<Seen> events = recorder.of(t.id());
                List<TransferState> states = events.stream().filter(Seen::stateChange).map(s -> s.progress().state()).toList();
                assertThat(states).as(t.name()).startsWith(TransferState.QUEUED, TransferState.RUNNING).endsWith(TransferState.DONE);
                assertThat(states.stream().filter(TransferState::isTerminal)).as(t.name()).hasSize(1);
                for (int i = 1; i < states.size(); i++) {
                    assertThat(states.get(i - 1).canMoveTo(states.get(i))).as(t.name() + ": " + states).isTrue();
                }
                assertThat(events.getLast().progress().state()).as(t.name() + ": nothing after the terminal event")
                        .isEqualTo(TransferState.DONE);
                assertThat(events.getLast().progress().bytesDone()).isEqualTo(events.getLast().progress().bytesTotal());
                TransferState announced = null;
                for (Seen s : events) {
                    if (s.stateChange()) {
                        announced = s.progress().state();
                    } else {
                        assertThat(s.progress().state()).as(t.name() + ": a progress event carries the state last announced")
                                .isEqualTo(announced);
                    }
                }
            }
        } finally {
            fixture.engine.removeListener(recorder);
        }
    }

    @Test
    void aPausedUploadCanBeCancelledAndNothingOfItRemains() throws Exception {
        Transfer transfer = pausedPartWay("cancel-paused.bin", "cancel-paused", 7);
        assertThat(fixture.engine.unfinished()).extracting(UnfinishedTransfer::id).contains(transfer.id());
        assertThat(transfer.state().allows(TransferState.Action.CANCEL)).isTrue();

        transfer.cancel();

        assertThat(transfer.stopped().join().state()).isEqualTo(TransferState.CANCELLED);
        assertThat(fixture.engine.unfinished()).extracting(UnfinishedTransfer::id).doesNotContain(transfer.id());
        assertThat(fixture.engine.list("u/sandbox-photographer/cancel-paused/", false, null).entries()).isEmpty();
        transfer.resume();
        assertThat(transfer.state()).as("a cancelled transfer cannot be resumed").isEqualTo(TransferState.CANCELLED);
    }

    @Test
    void resumingAFinishedTransferOrCancellingItChangesNothing() throws Exception {
        Path source = RoundTripTest.randomFile(dir, "finished.bin", 1000, 8);
        Recorder recorder = new Recorder();
        Transfer transfer = fixture.engine.upload(source, "finished").getFirst();
        assertThat(transfer.stopped().join().state()).isEqualTo(TransferState.DONE);
        var before = transfer.stopped();
        fixture.engine.addListener(recorder);
        try {
            transfer.resume();
            transfer.cancel();
            transfer.pause();
            Thread.sleep(300); // nothing to wait for: any event would come within a tick
            assertThat(transfer.state()).isEqualTo(TransferState.DONE);
            assertThat(transfer.stopped()).isSameAs(before);
            assertThat(recorder.of(transfer.id())).isEmpty();
        } finally {
            fixture.engine.removeListener(recorder);
        }
    }

    @Test
    void aCancelOfAPausedTransferIsNotUndoneByAPauseThatFollowsIt() throws Exception {
        Transfer transfer = pausedPartWay("cancel-then-pause.bin", "cancel-then-pause", 9);

        transfer.cancel();
        fixture.engine.pauseAll(); // what closing the window does right after

        assertThat(transfer.stopped().join().state()).isEqualTo(TransferState.CANCELLED);
        assertThat(fixture.engine.unfinished()).extracting(UnfinishedTransfer::id).doesNotContain(transfer.id());
    }

    @Test
    void callersAskingForTheSameUnfinishedTransferAtOnceAllGetTheOneHandleAndItRunsOnce() throws Exception {
        Path source = RoundTripTest.randomFile(dir, "shared.bin", 4L * PART, 10);
        Path journal = dir.resolve("shared-journal");
        String token = fixture.sandbox.info().photographerToken();
        try (TransferEngine first = EngineFixture.engine(fixture.sandbox, journal, PART, token)) {
            first.tune(1, PART, PART);
            Transfer started = first.upload(source, "shared").getFirst();
            awaitBytes(started);
        } // closing pauses it, and the journal keeps it

        try (TransferEngine next = EngineFixture.engine(fixture.sandbox, journal, PART, token)) {
            var gate = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<List<Transfer>>> asked = new java.util.ArrayList<>();
            try (var callers = java.util.concurrent.Executors.newFixedThreadPool(6)) {
                for (int i = 0; i < 6; i++) {
                    int which = i % 3;
                    asked.add(callers.submit(() -> {
                        gate.await();
                        return switch (which) {
                            case 0 -> next.restoreUnfinished();
                            case 1 -> next.resumeAll();
                            default -> next.upload(source, "shared");
                        };
                    }));
                }
                gate.countDown();
            }
            Set<Transfer> handles = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (var call : asked) {
                handles.addAll(call.get());
            }

            assertThat(handles).as("one handle for the one unfinished upload").hasSize(1);
            Transfer only = handles.iterator().next();
            TransferResult result = only.stopped().join();
            assertThat(result.state()).as(result.reason()).isEqualTo(TransferState.DONE);
            assertThat(next.unfinished()).isEmpty();
        }
    }

    private static Transfer pausedPartWay(String name, String folder, long seed) throws Exception {
        Path source = RoundTripTest.randomFile(dir, name, 6L * PART, seed);
        fixture.engine.tune(1, PART, PART);
        try {
            Transfer transfer = fixture.engine.upload(source, folder).getFirst();
            awaitBytes(transfer);
            transfer.pause();
            assertThat(transfer.stopped().join().state()).isEqualTo(TransferState.PAUSED);
            return transfer;
        } finally {
            fixture.engine.tune(4, PART, 0);
        }
    }

    private static void awaitBytes(Transfer transfer) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (transfer.progress().bytesDone() == 0) {
            assertThat(System.nanoTime()).as("the transfer started moving bytes in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
