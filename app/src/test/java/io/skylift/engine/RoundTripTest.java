package io.skylift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.testing.RandomFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Files of the sizes that matter go up and come back byte for byte, over real HTTP through the sandbox. */
class RoundTripTest {

    static final int PART = 5 * 1024 * 1024;

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

    static Path randomFile(Path dir, String name, long size, long seed) throws IOException {
        return RandomFile.write(dir, name, size, seed);
    }

    @ParameterizedTest(name = "{0} bytes")
    // Around a range's 256 KiB write buffer too: a range ends with a full buffer, one short of it, or one byte past.
    @ValueSource(longs = {0, 1, 256 * 1024 - 1, 256 * 1024, 256 * 1024 + 1, PART - 1, PART, PART + 1, 3L * PART + 12345})
    void aFileComesBackExactlyAsItWent(long size) throws Exception {
        Path source = randomFile(Files.createDirectories(dir.resolve("src-" + size)), "file-" + size + ".bin", size, size);

        TransferResult up = fixture.engine.upload(source, "round-trip").getFirst().stopped().join();

        assertThat(up.state()).as(up.reason()).isEqualTo(TransferState.DONE);
        assertThat(up.key()).isEqualTo("u/sandbox-photographer/round-trip/file-" + size + ".bin");
        assertThat(up.size()).isEqualTo(size);
        assertThat(up.bytesTransferred()).isEqualTo(size);
        Path out = Files.createDirectories(dir.resolve("out-" + size));
        TransferResult down = fixture.engine.download(up.key(), out, IfExists.FAIL).stopped().join();
        assertThat(down.state()).as(down.reason()).isEqualTo(TransferState.DONE);
        assertThat(down.crc32c()).isEqualTo(up.crc32c());
        assertThat(Files.mismatch(source, out.resolve("file-" + size + ".bin"))).isEqualTo(-1);
        assertThat(fixture.engine.unfinished()).as("nothing left in the journal").isEmpty();
        try (var leftovers = Files.list(out)) {
            assertThat(leftovers).as("no temporary file left beside the download").hasSize(1);
        }
    }

    @Test
    void aDownloadNeverReplacesAFileAlreadyThereUnlessAskedTo() throws Exception {
        Path source = randomFile(dir, "contract.pdf", 300_000, 11);
        TransferResult up = fixture.engine.upload(source, "existing").getFirst().stopped().join();
        Path out = Files.createDirectories(dir.resolve("existing-out"));
        Path mine = Files.writeString(out.resolve("contract.pdf"), "my own notes, not the download");

        TransferResult refused = fixture.engine.download(up.key(), out, IfExists.FAIL).stopped().join();
        assertThat(refused.state()).isEqualTo(TransferState.FAILED);
        assertThat(refused.reason()).contains("contract.pdf", "already exists");
        assertThat(Files.readString(mine)).isEqualTo("my own notes, not the download");

        TransferResult beside = fixture.engine.download(up.key(), out, IfExists.RENAME).stopped().join();
        assertThat(beside.state()).as(beside.reason()).isEqualTo(TransferState.DONE);
        assertThat(Files.readString(mine)).isEqualTo("my own notes, not the download");
        assertThat(Files.mismatch(source, out.resolve("contract (1).pdf"))).isEqualTo(-1);

        TransferResult replaced = fixture.engine.download(up.key(), out, IfExists.OVERWRITE).stopped().join();
        assertThat(replaced.state()).as(replaced.reason()).isEqualTo(TransferState.DONE);
        assertThat(Files.mismatch(source, mine)).isEqualTo(-1);
        try (var left = Files.list(out)) {
            assertThat(left).as("no partial files beside them").hasSize(2);
        }
    }
}
