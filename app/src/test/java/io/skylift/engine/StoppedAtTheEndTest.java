package io.skylift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skylift.json.Json;
import io.skylift.testing.PausedPartWay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download stopped in its last step: the verified file was moved into place and the process was
 * killed before its journal entry was removed. The resume must see that the file is there and is
 * the object, not fetch it again and then refuse to overwrite it.
 */
class StoppedAtTheEndTest {

    static final int PART = 5 * 1024 * 1024;
    static final long RANGE = 16L * 1024 * 1024;

    @TempDir
    static Path dir;
    static EngineFixture fixture;

    @BeforeAll
    static void start() throws IOException {
        fixture = EngineFixture.start(dir, PART);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void aDownloadKilledAfterPlacingItsFileIsDoneOnResumeWithNothingFetchedAgain() throws Exception {
        Path source = RoundTripTest.randomFile(dir, "case.tar", 2 * RANGE + 777, 71);
        Path out = Files.createDirectories(dir.resolve("placed-out"));
        Path journal = dir.resolve("placed-journal");
        String id = pausedDownload(source, out, journal);
        Path target = killedAfterEveryRange(journal, id, source);
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING); // moved into place, then the kill

        TransferResult result;
        try (TransferEngine after = engine(journal)) {
            result = after.resumeAll().getFirst().stopped().join();
            assertThat(after.unfinished()).as("nothing left to resume").isEmpty();
        }
        assertThat(result.state()).as(result.reason()).isEqualTo(TransferState.DONE);
        assertThat(result.bytesTransferred()).as("nothing fetched again").isZero();
        assertThat(Files.mismatch(out.resolve("case.tar"), source)).isEqualTo(-1);
        try (var left = Files.list(out)) {
            assertThat(left).as("no copy beside it").hasSize(1);
        }
    }

    @Test
    void aFileInPlaceThatIsNotTheObjectIsNotTakenForTheDownload() throws Exception {
        Path source = RoundTripTest.randomFile(dir, "logs.tar", 2 * RANGE + 555, 72);
        Path out = Files.createDirectories(dir.resolve("other-out"));
        Path journal = dir.resolve("other-journal");
        String id = pausedDownload(source, out, journal);
        killedAfterEveryRange(journal, id, source);
        // Someone else's file of the same size took the name meanwhile.
        byte[] other = Files.readAllBytes(source);
        other[other.length / 2] ^= 1;
        Files.write(out.resolve("logs.tar"), other);

        TransferResult result;
        try (TransferEngine after = engine(journal)) {
            result = after.resumeAll().getFirst().stopped().join();
        }
        assertThat(result.state()).isEqualTo(TransferState.FAILED);
        assertThat(result.reason()).contains("logs.tar", "left untouched");
        assertThat(Files.readAllBytes(out.resolve("logs.tar"))).as("the other file is kept as it was").isEqualTo(other);
    }

    // The journal as the run would have left it had it gone on: every range journaled and the partial
    // file gone (moved into place, or not); returns where the file goes.
    private static Path killedAfterEveryRange(Path journal, String id, Path source) throws IOException {
        ObjectNode entry = (ObjectNode) Json.STORED.readTree(journal.resolve(id + ".json").toFile());
        Files.delete(Path.of(entry.get("temp").asText()));
        ObjectNode ranges = entry.putObject("doneRanges");
        JournalUpgradeTest.rangesWrittenIn(source, source).forEach((range, crc) -> ranges.put(String.valueOf(range), crc));
        Files.deleteIfExists(journal.resolve(id + ".parts"));
        Files.write(journal.resolve(id + ".json"), Json.STORED.writeValueAsBytes(entry));
        return Path.of(entry.get("target").asText());
    }

    // Starts downloading the uploaded {@code source} into {@code out} and pauses it part way.
    private static String pausedDownload(Path source, Path out, Path journal) throws Exception {
        TransferResult up = fixture.engine.upload(source, "placed").getFirst().stopped().join();
        assertThat(up.state()).as(up.reason()).isEqualTo(TransferState.DONE);
        try (TransferEngine before = engine(journal)) {
            before.tune(1, PART, 16L * 1024 * 1024);
            Transfer download = before.download(up.key(), out, IfExists.FAIL);
            PausedPartWay.after(download, RANGE + 1);
            return download.id();
        }
    }

    private static TransferEngine engine(Path journal) {
        return EngineFixture.engine(fixture.sandbox, journal, PART, fixture.sandbox.info().photographerToken());
    }
}
