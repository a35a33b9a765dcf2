package io.skylift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a window needs from the engine: pause, cancel, a bandwidth limit, and unfinished work shown after a restart. */
class EngineControlTest {

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

    @Test
    void theBandwidthLimitHoldsTransfersToItsRate() throws Exception {
        Path source = RoundTripTest.randomFile(dir, "limited.bin", 3L * PART, 1);
        long limit = 10L * 1024 * 1024;
        fixture.engine.tune(4, PART, limit);
        try {
            long started = System.nanoTime();
            TransferResult result = fixture.engine.upload(source, "limited").getFirst().stopped().join();
            double seconds = (System.nanoTime() - started) / 1e9;

            assertThat(result.state()).isEqualTo(TransferState.DONE);
            // 15 MiB at 10 MiB/s cannot take much less than 1.5 s (a quarter second of burst allowed).
            assertThat(seconds).isGreaterThan(1.2);
        } finally {
            fixture.engine.tune(4, PART, 0);
        }
    }

    @Test
    void aPausedTransferReappearsPausedInTheNextEngineAndCompletesWhenResumed() throws Exception {
        Path source = RoundTripTest.randomFile(dir, "later.bin", 6L * PART, 2);
        fixture.engine.tune(4, PART, 5L * 1024 * 1024);
        Transfer transfer = fixture.engine.upload(source, "restore").getFirst();
        long deadline = System.nanoTime() + 30_000_000_000L;
        // Wait until storage holds a part and the journal knows it.
        while (new io.skylift.engine.internal.journal.Journal(fixture.journal).all().stream().noneMatch(e -> e instanceof io.skylift.engine.internal.journal.JournalEntry.Upload u
                && !u.sentParts().isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        transfer.pause();
        assertThat(transfer.stopped().join().state()).isEqualTo(TransferState.PAUSED);
        fixture.engine.tune(4, PART, 0);

        try (TransferEngine next = EngineFixture.engine(fixture.sandbox, fixture.journal, PART, fixture.sandbox.info().photographerToken())) {
            List<Transfer> restored = next.restoreUnfinished();

            assertThat(restored).singleElement().satisfies(t -> {
                assertThat(t.state()).isEqualTo(TransferState.PAUSED);
                assertThat(t.name()).isEqualTo("later.bin");
                assertThat(t.progress().bytesDone()).isGreaterThanOrEqualTo(PART);
                assertThat(t.stopped()).as("its last run stopped paused, and waiting on it must not hang")
                        .isCompletedWithValueMatching(r -> r.state() == TransferState.PAUSED);
            });
            restored.getFirst().resume();
            TransferResult done = restored.getFirst().stopped().join();

            assertThat(done.state()).as(done.reason()).isEqualTo(TransferState.DONE);
            assertThat(done.bytesTransferred()).isLessThan(6L * PART);
            assertThat(next.unfinished()).isEmpty();
        }
    }

    @Test
    void cancellingAnUploadFreesItsPartsAndForgetsIt() throws Exception {
        Path source = RoundTripTest.randomFile(dir, "cancel.bin", 6L * PART, 3);
        fixture.engine.tune(4, PART, 5L * 1024 * 1024);
        try {
            Transfer transfer = fixture.engine.upload(source, "cancel").getFirst();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (transfer.progress().bytesDone() < PART && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            transfer.cancel();

            assertThat(transfer.stopped().join().state()).isEqualTo(TransferState.CANCELLED);
            assertThat(fixture.engine.unfinished()).isEmpty();
            assertThat(Files.exists(source)).as("the local file is untouched").isTrue();
            assertThat(fixture.engine.list("u/sandbox-photographer/cancel/", false, null).entries()).isEmpty();
        } finally {
            fixture.engine.tune(4, PART, 0);
        }
    }

    @Test
    void aDownloadStillWaitingForASlotWhenTheEngineClosesIsThereAtTheNextStartAndCompletes() throws Exception {
        Path source = RoundTripTest.randomFile(dir, "waiting.bin", 2L * PART + 7, 4);
        TransferResult up = fixture.engine.upload(source, "waiting").getFirst().stopped().join();
        assertThat(up.state()).isEqualTo(TransferState.DONE);
        Path blocker = RoundTripTest.randomFile(dir, "blocker.bin", 6L * PART, 5);
        Path journal = dir.resolve("one-slot-journal");
        Path into = Files.createDirectories(dir.resolve("waiting-into"));
        String token = fixture.sandbox.info().photographerToken();

        try (TransferEngine oneSlot = oneSlotEngine(journal)) {
            busyWith(oneSlot, blocker);
            Transfer waiting = oneSlot.download(up.key(), into, IfExists.FAIL);
            assertThat(waiting.state()).isEqualTo(TransferState.QUEUED);
        } // closing pauses everything, as quitting the window does

        try (TransferEngine next = EngineFixture.engine(fixture.sandbox, journal, PART, token)) {
            List<Transfer> restored = next.restoreUnfinished();

            assertThat(restored).extracting(Transfer::name).containsExactlyInAnyOrder("blocker.bin", "waiting.bin");
            Transfer download = restored.stream().filter(t -> t.name().equals("waiting.bin")).findFirst().orElseThrow();
            assertThat(download.state()).isEqualTo(TransferState.PAUSED);
            download.resume();
            TransferResult done = download.stopped().join();

            assertThat(done.state()).as(done.reason()).isEqualTo(TransferState.DONE);
            assertThat(Files.mismatch(source, into.resolve("waiting.bin"))).isEqualTo(-1);
            restored.stream().filter(t -> t != download).forEach(Transfer::cancel);
            assertThat(next.unfinished()).extracting(UnfinishedTransfer::name).doesNotContain("waiting.bin");
        }
    }

    @Test
    void aQueuedDownloadThatIsCancelledOrCannotBeginLeavesNothingToResume() throws Exception {
        Path blocker = RoundTripTest.randomFile(dir, "blocker-2.bin", 6L * PART, 6);
        Path into = Files.createDirectories(dir.resolve("cancel-queued-into"));

        try (TransferEngine oneSlot = oneSlotEngine(dir.resolve("cancel-queued-journal"))) {
            Transfer busy = busyWith(oneSlot, blocker);
            Transfer waiting = oneSlot.download("u/sandbox-photographer/blocker-2/blocker-2.bin", into, IfExists.FAIL);
            assertThat(oneSlot.unfinished()).extracting(UnfinishedTransfer::id).contains(waiting.id());

            waiting.cancel();
            assertThat(waiting.stopped().join().state()).isEqualTo(TransferState.CANCELLED);
            assertThat(oneSlot.unfinished()).extracting(UnfinishedTransfer::id).doesNotContain(waiting.id());

            busy.cancel();
            busy.stopped().join();
            TransferResult missing = oneSlot.download("u/sandbox-photographer/nowhere/none.bin", into, IfExists.FAIL).stopped().join();
            assertThat(missing.state()).isEqualTo(TransferState.FAILED);
            assertThat(oneSlot.unfinished()).isEmpty();
            try (var left = Files.list(into)) {
                assertThat(left).isEmpty();
            }
        }
    }

    // One transfer at a time, the slot held by a slowed upload: whatever comes next waits as QUEUED.
    private static TransferEngine oneSlotEngine(Path journal) {
        String token = fixture.sandbox.info().photographerToken();
        TransferEngine engine = TransferEngine.start(new EngineSettings(fixture.sandbox.info().api(), () -> token, 4, PART, journal, 1,
                Duration.ofSeconds(20), null));
        engine.tune(4, PART, 2L * 1024 * 1024);
        return engine;
    }

    private static Transfer busyWith(TransferEngine engine, Path file) throws InterruptedException {
        Transfer busy = engine.upload(file, file.getFileName().toString().replace(".bin", "")).getFirst();
        awaitState(busy, TransferState.RUNNING);
        return busy;
    }

    private static void awaitState(Transfer transfer, TransferState state) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (transfer.state() != state && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(transfer.state()).isEqualTo(state);
    }
}
