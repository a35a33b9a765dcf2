package io.skylift.engine.internal.journal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.skylift.files.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One owner-only JSON file per unfinished transfer, in the user's data folder, each replaced
 * atomically (temp file, fsync, rename): after a crash a file holds either the previous state or
 * the next, never a torn mix. Finished transfers leave nothing behind.
 *
 * <p>Thread-safe for different transfers; each transfer writes its own entry from one thread at a time.
 */
public final class Journal {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    private static final String SUFFIX = ".json";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private final Path dir;

    public Journal(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public void save(JournalEntry entry) throws IOException {
        PrivateFiles.createDirectories(dir);
        PrivateFiles.writeAtomically(file(entry.id()), JSON.writeValueAsBytes(entry));
    }

    /**
     * Records that part (or range) {@code part} of transfer {@code id} is done, with its CRC32C: a
     * small append, not a rewrite of the entry. Nothing happens when the entry is gone (the
     * transfer finished or was thrown away meanwhile).
     */
    public void recordPart(String id, int part, String crc32c) throws IOException {
        // Interim: read, merge and rewrite; the append log replaces this.
        Optional<JournalEntry> current = load(id);
        if (current.isEmpty()) {
            return;
        }
        JournalEntry next = switch (current.get()) {
            case JournalEntry.Upload u -> u.withSentParts(merged(u.sentParts(), part, crc32c));
            case JournalEntry.Download d -> d.withDoneRanges(merged(d.doneRanges(), part, crc32c));
            default -> throw new IllegalArgumentException("Transfer " + id + " records no parts");
        };
        save(next);
    }

    private static java.util.Map<Integer, String> merged(java.util.Map<Integer, String> parts, int part, String crc) {
        var all = new java.util.HashMap<>(parts);
        all.put(part, crc);
        return all;
    }

    public Optional<JournalEntry> load(String id) throws IOException {
        Path file = file(id);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(file.toFile(), JournalEntry.class));
    }

    /** Every readable entry, oldest first; an unreadable file is skipped with a warning, not fatal. */
    public List<JournalEntry> all() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<JournalEntry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).toList()) {
                try {
                    JournalEntry entry = JSON.readValue(file.toFile(), JournalEntry.class);
                    if (entry == null || entry.id() == null || entry.created() == null) {
                        throw new IOException("not a complete journal entry");
                    }
                    entries.add(entry);
                } catch (IOException e) {
                    LOG.warn("Skipping unreadable journal file {}: {}", file.getFileName(), e.getMessage());
                }
            }
        }
        entries.sort(Comparator.comparing(JournalEntry::created));
        return entries;
    }

    public void delete(String id) throws IOException {
        Files.deleteIfExists(file(id));
    }

    private Path file(String id) {
        if (!id.matches("[A-Za-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("Not a transfer id: " + id);
        }
        return dir.resolve(id + SUFFIX);
    }
}
