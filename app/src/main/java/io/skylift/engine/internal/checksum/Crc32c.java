package io.skylift.engine.internal.checksum;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Base64;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * CRC32C (Castagnoli) as S3 uses it: of file regions, of bytes, combined from the checksums of
 * consecutive pieces, and written as S3 writes {@code x-amz-checksum-crc32c}.
 *
 * <p>Stateless and thread-safe; a scratch buffer passed in belongs to the caller for the call.
 */
public final class Crc32c {

    /** The reflected Castagnoli polynomial, as {@link CRC32C} uses it. */
    private static final int POLYNOMIAL = 0x82F63B78;

    private Crc32c() {}

    /**
     * CRC32C of {@code length} bytes of {@code channel} from {@code position}, read with positional
     * reads (the channel's own position is untouched) through {@code scratch}, whose content and
     * position are overwritten. Memory use is the scratch buffer, whatever the length.
     *
     * @throws EOFException if the file ends before {@code position + length}
     */
    public static int of(FileChannel channel, long position, long length, ByteBuffer scratch) throws IOException {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(scratch, "scratch");
        if (position < 0 || length < 0 || length > Long.MAX_VALUE - position) {
            throw new IllegalArgumentException("Invalid region: position " + position + ", length " + length);
        }
        if (scratch.capacity() == 0) {
            throw new IllegalArgumentException("The scratch buffer has no room");
        }
        CRC32C crc = new CRC32C();
        long done = 0;
        while (done < length) {
            scratch.clear().limit((int) Math.min(scratch.capacity(), length - done));
            int read = channel.read(scratch, position + done);
            if (read < 0) {
                throw new EOFException("The file ends at " + (position + done) + ", inside the region at position "
                        + position + " of length " + length);
            }
            crc.update(scratch.flip());
            done += read;
        }
        return (int) crc.getValue();
    }

    /** The whole file's CRC32C, as base64 (what storage names). */
    public static String ofFile(java.nio.file.Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, java.nio.file.StandardOpenOption.READ)) {
            return toBase64(of(channel, 0, channel.size(), ByteBuffer.allocate(256 * 1024)));
        }
    }

    /** CRC32C of {@code length} bytes of {@code data} from {@code offset}. */
    public static int of(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }

    /**
     * CRC32C of A followed by B, from the CRC32C of A, that of B and B's length, in O(log lengthB):
     * how a whole file's checksum is had from its parts' without reading the file again.
     */
    public static int combine(int crcA, int crcB, long lengthB) {
        if (lengthB < 0) {
            throw new IllegalArgumentException("Negative length: " + lengthB);
        }
        if (lengthB == 0) {
            return crcA;
        }
        // zlib's crc32_combine: appending n zero bytes to A is a linear map of A's CRC over GF(2);
        // the matrix for 1 zero bit is squared to get the ones for 2, 4, 8... zero bits, and those
        // matching the set bits of the length are applied. Appending zeros and then XOR-ing B's CRC
        // gives the CRC of A||B because CRC32C's pre- and post-inversion cancel out.
        int[] even = new int[32];
        int[] odd = new int[32];
        odd[0] = POLYNOMIAL;
        for (int n = 1; n < 32; n++) {
            odd[n] = 1 << (n - 1);
        }
        square(even, odd); // 2 zero bits
        square(odd, even); // 4 zero bits

        int crc = crcA;
        long remaining = lengthB;
        // The first squaring below makes the operator for one zero byte (8 bits), the next for two...
        while (true) {
            square(even, odd);
            if ((remaining & 1) != 0) {
                crc = times(even, crc);
            }
            remaining >>>= 1;
            if (remaining == 0) {
                break;
            }
            square(odd, even);
            if ((remaining & 1) != 0) {
                crc = times(odd, crc);
            }
            remaining >>>= 1;
            if (remaining == 0) {
                break;
            }
        }
        return crc ^ crcB;
    }

    /** The 4 big-endian bytes of {@code crc} in base64, as S3 writes {@code x-amz-checksum-crc32c}. */
    public static String toBase64(int crc) {
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt(crc).array());
    }

    /**
     * The CRC32C written as S3 writes it.
     *
     * @throws IllegalArgumentException unless {@code value} is canonical base64 of exactly 4 bytes
     */
    public static int fromBase64(String value) {
        Objects.requireNonNull(value, "value");
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw notACrc(value, e);
        }
        // The decoder also takes missing padding and stray low bits; a checksum compared as text
        // elsewhere must have exactly one spelling, so only what toBase64 writes is accepted.
        if (bytes.length != 4 || !toBase64(ByteBuffer.wrap(bytes).getInt()).equals(value)) {
            throw notACrc(value, null);
        }
        return ByteBuffer.wrap(bytes).getInt();
    }

    private static IllegalArgumentException notACrc(String value, Exception cause) {
        String shown = value.length() <= 40 ? value : value.substring(0, 40) + "...";
        return new IllegalArgumentException("Not a CRC32C: expected canonical base64 of 4 bytes "
                + "(8 characters ending in \"==\"), got \"" + shown + "\"", cause);
    }

    /** {@code matrix} times {@code vector} over GF(2); column n of the matrix is the image of bit n. */
    private static int times(int[] matrix, int vector) {
        int product = 0;
        for (int n = 0; vector != 0; n++, vector >>>= 1) {
            if ((vector & 1) != 0) {
                product ^= matrix[n];
            }
        }
        return product;
    }

    private static void square(int[] result, int[] matrix) {
        for (int n = 0; n < 32; n++) {
            result[n] = times(matrix, matrix[n]);
        }
    }
}
