package io.skylift.engine.internal.journal;

import io.skylift.files.PrivateFiles;
import io.skylift.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Many planned transfers journaled with one durable write: {@code <group>.plan} holds them all, and
 * {@code <group>.plan.log} beside it the ids that left the plan since, one line each,
 * {@code {"left":"<id>"}}, appended with a single write. An id leaves when its transfer finished or was
 * refused (deleted), or when it was saved as its own {@code <id>.json}. A line that does not end in a
 * newline or does not parse (the process died mid-write) is not a record: the closing quote is what
 * keeps a torn line, the start of an id, from naming another, shorter id.
 *
 * <p>An instance is one plan as a journal's index knows it; its mutable fields are guarded by that
 * journal's lock. The static methods are stateless.
 */
final class Plan {

    static final String SUFFIX = ".plan";
    static final String LOG_SUFFIX = ".plan.log";
    static final String TEMP_SUFFIX = ".plan.tmp";
    static final Duration ABANDONED_AFTER = Duration.ofHours(1);
    /**
     * At most this many entries a plan file (about 4.5 MB of JSON); the caller splits a larger drop.
     * The file is written, and read back at start, whole.
     */
    static final int MAX_ENTRIES = 10_000;
    static final int VERSION = 1;

    /** The stored form of {@code <group>.plan}. */
    record Stored(int version, List<JournalEntry> entries) {}

    /** What a leave log holds; {@code torn} when it ends in a partial line the next record must not run into. */
    record Left(Set<String> ids, boolean torn) {}

    record Line(String left) {}

    final String group;
    final Path file;
    final Path log;
    /** The ids it lists that have not left; guarded by the journal's lock. */
    final Set<String> remaining = new HashSet<>();
    /** The log ends in a torn line; guarded by the journal's lock. */
    boolean tornLog;

    Plan(Path dir, String group) {
        this.group = group;
        this.file = dir.resolve(group + SUFFIX);
        this.log = dir.resolve(group + LOG_SUFFIX);
    }

    /** The group of a plan file's name, or null for a name no plan has. */
    static String groupOf(Path file) {
        return group(file, SUFFIX);
    }

    /** The group a leave log belongs to, or null for a name no leave log has. */
    static String groupOfLog(Path file) {
        return group(file, LOG_SUFFIX);
    }

    /** The group of a plan's temporary file (see {@link PrivateFiles#writeAtomically}), or null. */
    static String groupOfTemp(Path file) {
        return group(file, TEMP_SUFFIX);
    }

    /**
     * True for a temporary file untouched for longer than any write of a plan takes: a crash left it.
     * A younger one may be another process's write under way.
     */
    static boolean abandoned(Path temp) {
        try {
            return Files.getLastModifiedTime(temp).toInstant().isBefore(Instant.now().minus(ABANDONED_AFTER));
        } catch (IOException gone) {
            return false;
        }
    }

    private static String group(Path file, String suffix) {
        String name = file.getFileName().toString();
        String group = name.substring(0, Math.max(0, name.length() - suffix.length()));
        return name.endsWith(suffix) && Journal.isId(group) ? group : null;
    }

    /** Writes the plan file atomically and durably (one fsync of the file, one of the folder). */
    void write(List<? extends JournalEntry> entries) throws IOException {
        PrivateFiles.writeAtomically(file, Json.STORED.writeValueAsBytes(new Stored(VERSION, List.copyOf(entries))));
    }

    Stored read() throws IOException {
        Stored stored = Json.STORED.readValue(file.toFile(), Stored.class);
        if (stored == null || stored.entries() == null) {
            throw new IOException("not a complete plan");
        }
        return stored;
    }

    Left readLog() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(log);
        } catch (NoSuchFileException none) {
            return new Left(Set.of(), false);
        }
        Set<String> ids = new HashSet<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                String id = parse(bytes, start, i);
                if (id != null) {
                    ids.add(id);
                }
                start = i + 1;
            }
        }
        return new Left(ids, start < bytes.length);
    }

    private static String parse(byte[] bytes, int from, int to) {
        if (to == from) {
            return null;
        }
        try {
            Line line = Json.STORED.readValue(bytes, from, to - from, Line.class);
            return line != null && line.left() != null && Journal.isId(line.left()) ? line.left() : null;
        } catch (IOException | RuntimeException notARecord) {
            return null;
        }
    }

    /** The record that {@code id} left, newline-terminated; after a torn tail it starts with a newline of its own. Under the lock. */
    byte[] leaveLine(String id) {
        String line = (tornLog ? "\n" : "") + "{\"left\":\"" + id + "\"}\n";
        tornLog = false;
        return line.getBytes(StandardCharsets.UTF_8);
    }

    /** Removes the plan, then its log: a crash in between leaves only a log, which no plan reads. */
    void deleteFiles() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(log);
    }
}
