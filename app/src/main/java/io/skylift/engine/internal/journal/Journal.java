package io.skylift.engine.internal.journal;

import io.skylift.files.PrivateFiles;
import io.skylift.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The unfinished transfers, in the user's data folder: one owner-only {@code <id>.json} per
 * transfer, replaced atomically (temp file, fsync, rename), and beside it a {@code <id>.parts} log
 * of the parts finished since (see {@link #recordPart}). After a crash an entry is its last saved
 * state plus every complete record of its log, never a torn mix. Finished transfers leave nothing.
 *
 * <p>The folder is read once, on first use, into an index; after that this journal's own writes
 * keep index and disk in step, and {@link #reload()} reads the folder again to see what another
 * process wrote. Looking up one transfer ({@link #load}, {@link #find}) reads no file.
 *
 * <p>Thread-safe. {@link #recordPart} may be called from any thread at any time; {@link #save} and
 * {@link #delete} of one id are called by one thread at a time (they share a temporary file). No
 * lock is held during file I/O.
 *
 * <pre>{@code
 * Journal journal = new Journal(dataDir.resolve("transfers"));
 * journal.save(entry);                       // planned
 * journal.recordPart(entry.id(), 3, "yZRlqg=="); // one short append
 * journal.find(JournalEntry.uploadIdentity(file, folder, name)); // resume lookup, no I/O
 * journal.delete(entry.id());                // finished
 * }</pre>
 */
public final class Journal {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    private static final String SUFFIX = ".json";
    private static final String PARTS = ".parts";

    private final Path dir;
    private final Object lock = new Object();
    private Index index; // guarded by lock; null until first needed
    // Ids saved, recorded or deleted here while a reload read the folder; guarded by lock, emptied
    // when the last reload ends, so it holds at most the writes of one read.
    private final Set<String> changedDuringReload = new HashSet<>();
    private int reloads; // guarded by lock

    public Journal(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Writes the entry atomically and durably. Parts recorded for the entry it replaces are kept
     * when both have the same plan ({@link JournalEntry.Parted#samePlan}), so a run may save a new
     * reason without knowing every part; a new plan starts with only its own parts. To start the
     * same plan over without its parts, {@link #delete} first.
     */
    public void save(JournalEntry entry) throws IOException {
        Path json = file(entry.id());
        Index current = index();
        JournalEntry written;
        boolean samePlan;
        synchronized (lock) {
            Slot previous = current.get(entry.id());
            samePlan = previous != null && entry instanceof JournalEntry.Parted parted && parted.samePlan(previous.saved);
            Map<Integer, String> parts = new HashMap<>(samePlan ? previous.parts : Map.of());
            if (entry instanceof JournalEntry.Parted parted) {
                parts.putAll(parted.finishedParts());
                written = parted.withFinishedParts(parts);
            } else {
                written = entry;
            }
            current.put(new Slot(written, parts));
            changed(entry.id());
        }
        PrivateFiles.createDirectories(dir);
        Path log = partsFile(entry.id());
        if (!samePlan) {
            // Gone before the new entry lands: a crash in between must not lend its parts to another plan.
            Files.deleteIfExists(log);
        }
        PrivateFiles.writeAtomically(json, Json.STORED.writeValueAsBytes(written));
        // The entry now holds every part the log held. A record appended meanwhile may go with the
        // log; that part is done again, which is harmless.
        Files.deleteIfExists(log);
    }

    /**
     * Records that part (or range) {@code part} of transfer {@code id} is done, with its CRC32C: a
     * small append, not a rewrite of the entry. Nothing happens when the entry is gone (the
     * transfer finished or was thrown away meanwhile), and no file is made for it.
     */
    public void recordPart(String id, int part, String crc32c) throws IOException {
        Path log = partsFile(id);
        Index current = index();
        Slot slot;
        byte[] line;
        synchronized (lock) {
            slot = current.get(id);
            if (slot == null) {
                return;
            }
            if (!(slot.saved instanceof JournalEntry.Parted)) {
                throw new IllegalArgumentException("Transfer " + id + " records no parts");
            }
            slot.parts.put(part, crc32c);
            slot.view = null;
            changed(id);
            line = PartLog.line(part, crc32c, slot.tornLog);
            slot.tornLog = false;
        }
        if (PartLog.append(log, line)) {
            return;
        }
        synchronized (lock) {
            if (current.get(id) != slot) {
                return; // deleted, or saved again with this part in it
            }
        }
        // The first part since the entry was saved (or since an older release wrote it).
        PartLog.appendCreating(log, line);
        boolean gone;
        synchronized (lock) {
            gone = current.get(id) == null;
        }
        if (gone) {
            Files.deleteIfExists(log); // deleted while the log was being made: leave nothing behind
        }
    }

    /** The entry of transfer {@code id}, from the index. */
    public Optional<JournalEntry> load(String id) throws IOException {
        file(id);
        Index current = index();
        synchronized (lock) {
            return Optional.ofNullable(current.get(id)).map(Slot::view);
        }
    }

    /** The oldest entry whose {@link JournalEntry#identity()} is {@code identity}, from the index. */
    public Optional<JournalEntry> find(String identity) throws IOException {
        return withIdentity(identity).stream().findFirst();
    }

    /** Every entry with that identity, oldest first: usually one, more only if each went its own route. */
    public List<JournalEntry> withIdentity(String identity) throws IOException {
        Index current = index();
        synchronized (lock) {
            return current.byIdentity.getOrDefault(identity, new TreeMap<>()).values().stream().map(Slot::view).toList();
        }
    }

    /** Every readable entry, oldest first, from the index; an unreadable file was skipped with a warning, not fatal. */
    public List<JournalEntry> all() throws IOException {
        Index current = index();
        synchronized (lock) {
            return current.ordered.values().stream().map(Slot::view).toList();
        }
    }

    /**
     * Reads the folder again: entries other processes wrote since become visible, and those they
     * removed go. What this journal itself saved, recorded or deleted meanwhile stays as it has it:
     * a write here while the folder was being read is newer than what the read found.
     */
    public void reload() throws IOException {
        Index current = index();
        synchronized (lock) {
            if (reloads++ == 0) {
                changedDuringReload.clear();
            }
        }
        Index read = null;
        try {
            read = read();
        } finally {
            synchronized (lock) {
                if (read != null) {
                    for (Slot slot : read.byId.values()) {
                        String id = slot.saved.id();
                        if (current.get(id) == null && !changedDuringReload.contains(id)) {
                            current.put(slot);
                        }
                    }
                    for (String id : List.copyOf(current.byId.keySet())) {
                        if (read.get(id) == null && !changedDuringReload.contains(id)) {
                            current.remove(id);
                        }
                    }
                }
                if (--reloads == 0) {
                    changedDuringReload.clear();
                }
            }
        }
    }

    // Under the lock: remembered only while a reload reads the folder.
    private void changed(String id) {
        if (reloads > 0) {
            changedDuringReload.add(id);
        }
    }

    /** Removes both files of the entry; a part recorded afterwards is ignored. */
    public void delete(String id) throws IOException {
        Path json = file(id);
        Index current = index();
        synchronized (lock) {
            current.remove(id);
            changed(id);
        }
        Files.deleteIfExists(json);
        Files.deleteIfExists(partsFile(id));
    }

    private Index index() throws IOException {
        synchronized (lock) {
            if (index != null) {
                return index;
            }
        }
        Index read = read();
        synchronized (lock) {
            if (index == null) {
                index = read; // otherwise another thread's read won, and writes may already have gone into it
            }
            return index;
        }
    }

    private Index read() throws IOException {
        Index read = new Index();
        if (!Files.isDirectory(dir)) {
            return read;
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(dir)) {
            files = listed.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).toList();
        }
        for (Path file : files) {
            try {
                read.put(readEntry(file));
            } catch (IOException | RuntimeException e) {
                LOG.warn("Skipping unreadable journal file {}: {}", file.getFileName(), e.getMessage());
            }
        }
        return read;
    }

    private Slot readEntry(Path file) throws IOException {
        JournalEntry entry = Json.STORED.readValue(file.toFile(), JournalEntry.class);
        if (entry == null || entry.id() == null || entry.created() == null) {
            throw new IOException("not a complete journal entry");
        }
        if (!file.getFileName().toString().equals(entry.id() + SUFFIX)) {
            throw new IOException("holds the entry of another transfer, " + entry.id());
        }
        entry.identity(); // an entry without what identifies it could never be found again
        if (!(entry instanceof JournalEntry.Parted parted)) {
            return new Slot(entry, new HashMap<>());
        }
        PartLog.Contents log = PartLog.read(partsFile(entry.id()));
        Map<Integer, String> parts = new HashMap<>(parted.finishedParts());
        parts.putAll(log.parts());
        Slot slot = new Slot(parted.withFinishedParts(parts), parts);
        slot.tornLog = log.torn();
        return slot;
    }

    private Path file(String id) {
        if (!id.matches("[A-Za-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("Not a transfer id: " + id);
        }
        return dir.resolve(id + SUFFIX);
    }

    private Path partsFile(String id) {
        return file(id).resolveSibling(id + PARTS);
    }

    /** Oldest first, and a fixed order among entries made in the same instant. */
    private record Order(Instant created, String id) implements Comparable<Order> {
        private static final Comparator<Order> ORDER = Comparator.comparing(Order::created).thenComparing(Order::id);

        @Override
        public int compareTo(Order other) {
            return ORDER.compare(this, other);
        }
    }

    /** One entry as last saved (or read), and every part known for it since; guarded by the journal's lock. */
    private static final class Slot {
        final JournalEntry saved;
        final Map<Integer, String> parts;
        final Order order;
        final String identity;
        boolean tornLog;
        JournalEntry view; // saved with the parts merged in; null when a part came since

        Slot(JournalEntry saved, Map<Integer, String> parts) {
            this.saved = saved;
            this.parts = parts;
            this.order = new Order(saved.created(), saved.id());
            this.identity = saved.identity();
            this.view = saved;
        }

        JournalEntry view() {
            if (view == null) {
                view = ((JournalEntry.Parted) saved).withFinishedParts(parts);
            }
            return view;
        }
    }

    /** The entries by id, by age and by identity; guarded by the journal's lock. */
    private static final class Index {
        final Map<String, Slot> byId = new HashMap<>();
        final TreeMap<Order, Slot> ordered = new TreeMap<>();
        final Map<String, TreeMap<Order, Slot>> byIdentity = new HashMap<>();

        Slot get(String id) {
            return byId.get(id);
        }

        void put(Slot slot) {
            remove(slot.saved.id());
            byId.put(slot.saved.id(), slot);
            ordered.put(slot.order, slot);
            byIdentity.computeIfAbsent(slot.identity, none -> new TreeMap<>()).put(slot.order, slot);
        }

        void remove(String id) {
            Slot gone = byId.remove(id);
            if (gone == null) {
                return;
            }
            ordered.remove(gone.order);
            TreeMap<Order, Slot> same = byIdentity.get(gone.identity);
            same.remove(gone.order);
            if (same.isEmpty()) {
                byIdentity.remove(gone.identity);
            }
        }
    }
}
