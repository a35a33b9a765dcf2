package io.skylift.engine.internal.journal;

import io.skylift.engine.internal.checksum.Crc32c;
import io.skylift.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The finished parts of one entry recorded since it was last saved: {@code <id>.parts} beside
 * {@code <id>.json}, one line a part, {@code {"p":12,"c":"yZRlqg=="}}, each appended with a single
 * write. A line that does not end in a newline or does not parse (the process died mid-write) is
 * not a record. Stateless; appends from many threads do not interleave (O_APPEND, one short write).
 */
final class PartLog {

    private static final Set<OpenOption> APPEND = Set.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    private static final Set<OpenOption> CREATE_APPEND = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);

    /** What a log holds; {@code torn} when it ends in a partial line the next record must not run into. */
    record Contents(Map<Integer, String> parts, boolean torn) {
        static final Contents NONE = new Contents(Map.of(), false);
    }

    record Line(Integer p, String c) {}

    private PartLog() {}

    static Contents read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException none) {
            return Contents.NONE;
        }
        Map<Integer, String> parts = new HashMap<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                parse(bytes, start, i).ifPresent(line -> parts.put(line.p(), line.c()));
                start = i + 1;
            }
        }
        return new Contents(parts, start < bytes.length);
    }

    private static java.util.Optional<Line> parse(byte[] bytes, int from, int to) {
        if (to == from) {
            return java.util.Optional.empty();
        }
        try {
            Line line = Json.STORED.readValue(bytes, from, to - from, Line.class);
            if (line == null || line.p() == null || line.p() < 0 || line.c() == null) {
                return java.util.Optional.empty();
            }
            Crc32c.fromBase64(line.c()); // its own check: a CRC32C as toBase64 spells it, or no record
            return java.util.Optional.of(line);
        } catch (IOException | RuntimeException notARecord) {
            return java.util.Optional.empty();
        }
    }

    /** One record, newline-terminated; after a torn tail it starts with a newline of its own. */
    static byte[] line(int part, String crc32c, boolean afterTornTail) {
        return ((afterTornTail ? "\n" : "") + "{\"p\":" + part + ",\"c\":\"" + crc32c + "\"}\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Appends to an existing log; false when there is no log file to append to. */
    static boolean append(Path file, byte[] line) throws IOException {
        try (FileChannel channel = FileChannel.open(file, APPEND)) {
            write(channel, line);
            return true;
        } catch (NoSuchFileException none) {
            return false;
        }
    }

    /** Appends, creating an owner-only log first if there is none. */
    static void appendCreating(Path file, byte[] line) throws IOException {
        try (FileChannel channel = FileChannel.open(file, CREATE_APPEND, ownerOnly())) {
            write(channel, line);
        }
    }

    // No fsync: a record lost to a power cut is harmless. Storage's ListParts is the truth for an
    // upload's parts, and a download range whose record is lost is fetched again; a download's bytes
    // are forced to disk before its range is recorded, so a record that survives never names a hole.
    private static void write(FileChannel channel, byte[] line) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(line);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }
}
