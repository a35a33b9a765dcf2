package io.skylift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
        var journal = new io.skylift.engine.internal.journal.Journal(fixture.journal);
        while (journal.all().stream().noneMatch(e -> e instanceof io.skylift.engine.internal.journal.JournalEntry.Upload u
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
}
