package io.skylift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file past 4 GiB goes up and comes back byte for byte: offsets, lengths and checksums that do
 * not fit in 32 bits are where such bugs hide.
 */
class LargeFileIT {

    static final long SIZE = 4L * 1024 * 1024 * 1024 + 512L * 1024 * 1024 + 12345;

    @TempDir
    Path dir;

    /** Sparse, with random 1 MiB islands, among them one across the 4 GiB boundary and the very end. */
    static Path sparseFile(Path file) throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        ByteBuffer island = ByteBuffer.allocate(1024 * 1024);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SPARSE)) {
            for (long at : new long[] {0, 777_777_777L, (4L << 30) - 512 * 1024, 4_400_000_000L, SIZE - island.capacity()}) {
                island.clear();
                while (island.hasRemaining()) {
                    island.put((byte) random.nextInt());
                }
                island.flip();
                out.write(island, at);
            }
            if (out.size() < SIZE) {
                out.write(ByteBuffer.wrap(new byte[] {1}), SIZE - 1);
            }
        }
        assertThat(Files.size(file)).isEqualTo(SIZE);
        return file;
    }

    @Test
    void aFileLargerThan4GiBComesBackByteForByte() throws IOException {
        Path source = sparseFile(dir.resolve("archive-4.5gib.bin"));
        try (EngineFixture fixture = EngineFixture.start(dir, 0)) {
            long started = System.nanoTime();
            TransferResult up = fixture.engine.upload(source, "large").getFirst().stopped().join();
            assertThat(up.state()).as(up.reason()).isEqualTo(TransferState.DONE);
            long uploaded = System.nanoTime();

            Path out = Files.createDirectories(dir.resolve("out"));
            TransferResult down = fixture.engine.download(up.key(), out, IfExists.FAIL).stopped().join();
            long downloaded = System.nanoTime();

            assertThat(down.state()).as(down.reason()).isEqualTo(TransferState.DONE);
            assertThat(down.crc32c()).isEqualTo(up.crc32c());
            assertThat(Files.mismatch(source, out.resolve(source.getFileName()))).isEqualTo(-1);
            System.out.printf("large file: %d bytes up in %.1f s, down in %.1f s%n", SIZE, (uploaded - started) / 1e9,
                    (downloaded - uploaded) / 1e9);
        }
    }
}
