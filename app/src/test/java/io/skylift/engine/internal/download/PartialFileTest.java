package io.skylift.engine.internal.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The partial file of a download on a real disk: what ranges write is what the file holds, whichever way it went. */
class PartialFileTest {

    // Under the build's folder, on the disk the project lives on: /tmp may be a tmpfs.
    @TempDir(factory = BuildFolder.class)
    Path dir;

    static final class BuildFolder implements org.junit.jupiter.api.io.TempDirFactory {
        @Override
        public Path createTempDirectory(org.junit.jupiter.api.extension.AnnotatedElementContext element,
                                        org.junit.jupiter.api.extension.ExtensionContext context) throws IOException {
            return Files.createTempDirectory(Files.createDirectories(Path.of("target", "partial-files")), "t");
        }
    }

    @Test
    void rangesWrittenAtOnceInBuffersOfAnyLengthComeBackByteForByte() throws Exception {
        // Ranges of 1 MiB + 3 bytes (not whole blocks, so their starts are not aligned either) and a
        // last one shorter still, written by four threads in pieces of 256 KiB and odd remainders.
        int rangeBytes = 1024 * 1024 + 3;
        byte[] expected = new byte[5 * rangeBytes - 12345];
        new Random(7).nextBytes(expected);
        Path file = dir.resolve("photo.cr3.part");
        try (PartialFile partial = PartialFile.open(file, expected.length);
             ExecutorService writers = Executors.newFixedThreadPool(4)) {
            List<Future<?>> ranges = new ArrayList<>();
            for (long start = 0; start < expected.length; start += rangeBytes) {
                long from = start;
                long end = Math.min(expected.length, start + rangeBytes);
                ranges.add(writers.submit(() -> {
                    ByteBuffer buffer = PartialFile.alignedBuffer(256 * 1024);
                    for (long at = from; at < end; ) {
                        int n = (int) Math.min(buffer.capacity(), end - at);
                        buffer.clear().put(expected, (int) at, n).flip();
                        partial.write(buffer, at);
                        assertThat(buffer.hasRemaining()).isFalse();
                        at += n;
                    }
                    return null;
                }));
            }
            for (Future<?> range : ranges) {
                range.get();
            }
            partial.force(true);
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(expected);
    }

    @Test
    void wholeBlocksOfALargeFileGoAroundThePageCache() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fdinfo")), "Linux tells each descriptor's flags");
        Path file = dir.resolve("archive.tar.part");
        try (PartialFile partial = PartialFile.open(file, 64L * 1024 * 1024)) {
            assumeTrue(partial.direct(), "this file system takes O_DIRECT");
            ByteBuffer buffer = PartialFile.alignedBuffer(256 * 1024);
            while (buffer.hasRemaining()) {
                buffer.put((byte) buffer.position());
            }
            partial.write(buffer.flip(), 16L * 1024 * 1024);
            assertThat(partial.direct()).as("the write was taken around the cache").isTrue();
            assertThat(openWithODirect(file)).as("a descriptor of the file is open with O_DIRECT").isTrue();
        }
        byte[] back = new byte[256 * 1024];
        try (var in = Files.newByteChannel(file)) {
            in.position(16L * 1024 * 1024);
            in.read(ByteBuffer.wrap(back));
        }
        for (int i = 0; i < back.length; i++) {
            assertThat(back[i]).isEqualTo((byte) i);
        }
    }

    @Test
    void aWriteRefusedAroundTheCacheGoesThroughItAndSoDoEveryLaterOne() throws Exception {
        Path file = dir.resolve("refused.part");
        byte[] expected = new byte[3 * PartialFile.BLOCK];
        new Random(3).nextBytes(expected);
        try (PartialFile partial = PartialFile.open(file, 64L * 1024 * 1024)) {
            assumeTrue(partial.direct(), "this file system takes O_DIRECT");
            // Direct memory one byte off the alignment O_DIRECT needs: the kernel refuses it (EINVAL).
            ByteBuffer misaligned = PartialFile.alignedBuffer(expected.length + 1).position(1).slice();
            misaligned.put(expected).flip();
            partial.write(misaligned, 0);
            assertThat(partial.direct()).as("refused once, through the cache from then on").isFalse();
            partial.write(PartialFile.alignedBuffer(expected.length).put(expected).flip(), expected.length);
        }
        byte[] back = Files.readAllBytes(file);
        assertThat(back).hasSize(2 * expected.length);
        assertThat(java.util.Arrays.copyOfRange(back, 0, expected.length)).isEqualTo(expected);
        assertThat(java.util.Arrays.copyOfRange(back, expected.length, back.length)).isEqualTo(expected);
    }

    @Test
    void smallFilesAreWrittenThroughTheCacheOnly() throws Exception {
        try (PartialFile partial = PartialFile.open(dir.resolve("IMG_0001.JPG.part"), PartialFile.DIRECT_FROM - 1)) {
            assertThat(partial.direct()).isFalse();
        }
    }

    /** Whether this process holds a descriptor of {@code file} opened with O_DIRECT (040000 in Linux's fdinfo flags, octal). */
    private static boolean openWithODirect(Path file) throws IOException {
        Path real = file.toRealPath();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (!Files.readSymbolicLink(fd).equals(real)) {
                        continue;
                    }
                    String flags = Files.readAllLines(Path.of("/proc/self/fdinfo", fd.getFileName().toString())).stream()
                            .filter(line -> line.startsWith("flags:")).findFirst().orElseThrow();
                    if ((Long.parseLong(flags.substring("flags:".length()).trim(), 8) & 040000) != 0) {
                        return true;
                    }
                } catch (IOException gone) {
                    // a descriptor closed while listed
                }
            }
        }
        return false;
    }
}
