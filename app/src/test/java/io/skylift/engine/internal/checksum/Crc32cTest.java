package io.skylift.engine.internal.checksum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Crc32cTest {

    static final long MIB = 1L << 20;
    static final long TIB = 1L << 40;

    // Fixed seeds: a failure must be reproducible.
    final Random random = new Random(20_250_917);

    @Test
    void theCheckStringHasTheKnownCastagnoliCrc() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);

        assertThat(Crc32c.of(check, 0, check.length)).isEqualTo(0xE3069283);
        assertThat(Crc32c.toBase64(0xE3069283)).isEqualTo("4waSgw==");
    }

    @Test
    void theCrcOfNothingIsZeroAndS3WritesItAsAllAs() {
        assertThat(Crc32c.of(new byte[0], 0, 0)).isZero();
        assertThat(Crc32c.toBase64(0)).isEqualTo("AAAAAA==");
        assertThat(Crc32c.fromBase64("AAAAAA==")).isZero();
    }

    @Test
    void aSliceOfAnArrayHasTheCrcOfThoseBytesAlone() {
        byte[] framed = "xx123456789yyy".getBytes(StandardCharsets.US_ASCII);

        assertThat(Crc32c.of(framed, 2, 9)).isEqualTo(0xE3069283);
    }

    @Test
    void combiningTheCrcsOfTwoPiecesGivesTheCrcOfTheWholeForRandomSplitsIncludingEmptyPieces() {
        byte[] data = randomBytes(8192);
        for (int trial = 0; trial < 2000; trial++) {
            int length = random.nextInt(data.length + 1);
            // Every 4th trial cuts at an end, so one of the pieces is empty.
            int split = switch (trial % 4) {
                case 0 -> 0;
                case 1 -> length;
                default -> random.nextInt(length + 1);
            };
            int whole = Crc32c.of(data, 0, length);
            int first = Crc32c.of(data, 0, split);
            int second = Crc32c.of(data, split, length - split);

            assertThat(Crc32c.combine(first, second, length - split))
                    .as("length %d split at %d", length, split)
                    .isEqualTo(whole);
        }
    }

    @Test
    void combiningTheCrcsOfSevenPartsWithAShorterLastPartGivesTheCrcOfTheWholeFile() {
        int partSize = 256 * 1024;
        byte[] file = randomBytes(6 * partSize + 100_003);

        int combined = 0; // the CRC of nothing, before the first part
        for (int start = 0; start < file.length; start += partSize) {
            int length = Math.min(partSize, file.length - start);
            combined = Crc32c.combine(combined, Crc32c.of(file, start, length), length);
        }

        assertThat(combined).isEqualTo(Crc32c.of(file, 0, file.length));
    }

    @Test
    void combiningWithAnEmptySecondPieceKeepsTheFirstCrc() {
        int crc = random.nextInt();

        assertThat(Crc32c.combine(crc, 0, 0)).isEqualTo(crc);
    }

    @Test
    void combineRefusesANegativeLength() {
        assertThatThrownBy(() -> Crc32c.combine(1, 2, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @ParameterizedTest
    @CsvSource({
            "3145745, 5242877", // a few MiB each, odd lengths
            "1, 7340033",
            "5, 1073754169", // past 2^30 bytes: the high bits of the length matter
    })
    void combiningRunsOfZerosMatchesTheirDirectlyComputedCrc(long first, long second) {
        assertThat(Crc32c.combine(crcOfZeros(first), crcOfZeros(second), second))
                .isEqualTo(crcOfZeros(first + second));
    }

    @Test
    void combiningOverFiveTebibytesIsQuickAndAgreesWithCombiningTwoHalves() {
        long total = 5 * TIB;
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int trial = 0; trial < 200; trial++) {
                int a = random.nextInt();
                int b = random.nextInt();
                int c = random.nextInt();
                // Random cuts near the middle: the low 32 bits of the halves often carry into bit 32.
                long firstHalf = total / 2 + random.nextLong(-(1L << 33), 1L << 33);
                long secondHalf = total - firstHalf;

                // (A||B)||C == A||(B||C), with B and C of 2.5 TiB each.
                int leftFirst = Crc32c.combine(Crc32c.combine(a, b, firstHalf), c, secondHalf);
                int rightFirst = Crc32c.combine(a, Crc32c.combine(b, c, secondHalf), total);

                assertThat(leftFirst).as("halves %d and %d", firstHalf, secondHalf).isEqualTo(rightFirst);
            }
        });
    }

    @Test
    void base64RoundTripsEdgeAndRandomValues() {
        int[] values = {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0xE3069283, random.nextInt(), random.nextInt()};
        for (int value : values) {
            assertThat(Crc32c.fromBase64(Crc32c.toBase64(value))).isEqualTo(value);
        }
    }

    @Test
    void fromBase64ReadsTheBigEndianBytes() {
        assertThat(Crc32c.fromBase64("yZRlqg==")).isEqualTo(0xC99465AA);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "yZRlqg", // no padding
            "AAAAAAAA", // 6 bytes
            "!!!!",
            "AAAA", // 3 bytes
            "",
            "yZRlqh==", // stray low bits: decodes like yZRlqg== but is not how S3 writes it
            " AAAAAA==",
            "AAAAAA==\n",
    })
    void fromBase64RefusesAnythingButCanonicalBase64OfFourBytes(String value) {
        assertThatThrownBy(() -> Crc32c.fromBase64(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4 bytes")
                .hasMessageContaining("\"" + value + "\"");
    }

    @ParameterizedTest
    @CsvSource({
            "0, 1048576, 4096, false", // from the start
            "1048699, 1048576, 4096, true", // the middle, unaligned, direct scratch
            "2097159, 1048576, 1000, false", // up to the last byte, scratch not dividing the region
            "3145735, 0, 4096, false", // nothing, at the very end
    })
    void aFileRegionHasTheCrcOfTheSameBytesReadThroughASmallerScratchBuffer(
            long position, long length, int scratchSize, boolean direct, @TempDir Path dir) throws IOException {
        byte[] content = randomBytes(3 * (int) MIB + 7);
        Path file = Files.write(dir.resolve("file"), content);
        ByteBuffer scratch = direct ? ByteBuffer.allocateDirect(scratchSize) : ByteBuffer.allocate(scratchSize);

        try (FileChannel channel = FileChannel.open(file)) {
            int crc = Crc32c.of(channel, position, length, scratch);

            assertThat(crc).isEqualTo(Crc32c.of(content, (int) position, (int) length));
            assertThat(channel.position()).as("the channel's own position").isZero();
        }
    }

    @Test
    void aRegionReachingPastTheEndOfTheFileIsAnEofNamingTheRegion(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("file"), randomBytes(10_000));

        try (FileChannel channel = FileChannel.open(file)) {
            assertThatThrownBy(() -> Crc32c.of(channel, 9_990, 11, ByteBuffer.allocate(4)))
                    .isInstanceOf(EOFException.class)
                    .hasMessageContaining("position 9990")
                    .hasMessageContaining("length 11");
            assertThatThrownBy(() -> Crc32c.of(channel, 20_000, 1, ByteBuffer.allocate(4)))
                    .isInstanceOf(EOFException.class)
                    .hasMessageContaining("position 20000");
        }
    }

    byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    static int crcOfZeros(long length) {
        byte[] zeros = new byte[(int) MIB];
        CRC32C crc = new CRC32C();
        for (long left = length; left > 0; left -= zeros.length) {
            crc.update(zeros, 0, (int) Math.min(zeros.length, left));
        }
        return (int) crc.getValue();
    }
}
