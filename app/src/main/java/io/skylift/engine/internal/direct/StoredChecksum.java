package io.skylift.engine.internal.direct;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.function.Supplier;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;
import software.amazon.awssdk.crt.checksums.CRC64NVME;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The checksum storage keeps for an object, checked against a local file. A full-object checksum
 * ({@code "Mvc3Kg=="}) covers the bytes in order; a composite one ({@code "Mvc3Kg==-5"}) is the
 * checksum of the parts' checksums, so it can be recomputed only knowing the part size.
 *
 * @param algorithm "CRC64NVME" or "CRC32C"
 * @param value     as S3 gives it, with "-N" when composite
 */
public record StoredChecksum(String algorithm, String value) {

    /** What a comparison found. */
    public enum Verdict { MATCH, MISMATCH, UNKNOWN }

    private static final int BUFFER = 1 << 20;

    /** The strongest checksum the object has that Skylift can compute, or null for none. */
    public static StoredChecksum of(HeadObjectResponse head) {
        if (head.checksumCRC64NVME() != null) {
            return new StoredChecksum("CRC64NVME", head.checksumCRC64NVME());
        }
        if (head.checksumCRC32C() != null) {
            return new StoredChecksum("CRC32C", head.checksumCRC32C());
        }
        return null;
    }

    /**
     * Compares with the file. A composite checksum is recomputed with {@code partSize} when that
     * gives its part count; otherwise (the CRT chose a larger part for a very large file) the verdict
     * is UNKNOWN rather than a guess.
     */
    public Verdict check(Path file, long size, long partSize) throws IOException {
        int dash = value.lastIndexOf('-');
        int parts = dash < 0 ? 0 : Integer.parseInt(value.substring(dash + 1));
        if (dash >= 0 && (partSize <= 0 || (size + partSize - 1) / partSize != parts)) {
            return Verdict.UNKNOWN;
        }
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (dash < 0) {
                return value.equals(encode(digest(channel, buffer, 0, size))) ? Verdict.MATCH : Verdict.MISMATCH;
            }
            Checksum outer = newChecksum();
            for (int n = 0; n < parts; n++) {
                long start = n * partSize;
                byte[] part = digest(channel, buffer, start, Math.min(partSize, size - start));
                outer.update(part, 0, part.length);
            }
            return value.equals(encode(valueBytes(outer)) + "-" + parts) ? Verdict.MATCH : Verdict.MISMATCH;
        }
    }

    private byte[] digest(FileChannel channel, ByteBuffer buffer, long start, long length) throws IOException {
        Checksum checksum = newChecksum();
        for (long at = start, end = start + length; at < end; ) {
            buffer.clear().limit((int) Math.min(BUFFER, end - at));
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new IOException("The file ended before byte " + end);
            }
            checksum.update(buffer.array(), 0, read);
            at += read;
        }
        return valueBytes(checksum);
    }

    private Checksum newChecksum() {
        Supplier<Checksum> kind = switch (algorithm) {
            case "CRC64NVME" -> CRC64NVME::new;
            case "CRC32C" -> CRC32C::new;
            default -> throw new IllegalArgumentException("Not a checksum Skylift computes: " + algorithm);
        };
        return kind.get();
    }

    // S3 writes a CRC as its big-endian bytes: 8 for CRC64NVME, 4 for CRC32C.
    private byte[] valueBytes(Checksum checksum) {
        long crc = checksum.getValue();
        return algorithm.equals("CRC64NVME") ? ByteBuffer.allocate(8).putLong(crc).array() : ByteBuffer.allocate(4).putInt((int) crc).array();
    }

    private static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
