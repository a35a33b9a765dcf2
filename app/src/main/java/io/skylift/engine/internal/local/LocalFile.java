package io.skylift.engine.internal.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A local file as a transfer planned it: size, modification time and a fingerprint of its content
 * (SHA-256 over its size and three 64 KiB samples: start, middle, end). Comparing all three catches
 * a file replaced, appended to, truncated or rewritten in place, without reading it whole.
 */
public record LocalFile(Path path, long size, long modifiedMillis, String fingerprint) {

    private static final int SAMPLE = 64 * 1024;

    public static LocalFile inspect(Path path) throws IOException {
        long size = Files.size(path);
        long modified = Files.getLastModifiedTime(path).toMillis();
        return new LocalFile(path, size, modified, fingerprint(path, size));
    }

    /** Cheap check for the hot path: size and modification time only. */
    public boolean looksUnchanged() throws IOException {
        return Files.exists(path) && Files.size(path) == size && Files.getLastModifiedTime(path).toMillis() == modifiedMillis;
    }

    /** Full check before resuming: size, time and fingerprint. */
    public boolean unchanged() throws IOException {
        return looksUnchanged() && fingerprint(path, size).equals(fingerprint);
    }

    private static String fingerprint(Path path, long size) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha.update(ByteBuffer.allocate(8).putLong(size).array());
        ByteBuffer buffer = ByteBuffer.allocate(SAMPLE);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            for (long at : new long[] {0, Math.max(0, size / 2 - SAMPLE / 2), Math.max(0, size - SAMPLE)}) {
                buffer.clear();
                while (buffer.hasRemaining() && channel.read(buffer, at + buffer.position()) > 0) {
                    // read the sample fully
                }
                buffer.flip();
                sha.update(buffer);
            }
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 16);
    }
}
