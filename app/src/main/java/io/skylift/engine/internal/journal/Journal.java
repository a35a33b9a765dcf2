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
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The unfinished transfers, in the user's data folder: one owner-only {@code <id>.json} per
 * transfer, replaced atomically (temp file, fsync, rename), and beside it a {@code <id>.parts} log
 * of the parts finished since (see {@link #recordPart}). After a crash an entry is its last saved
 * state plus every complete record of its log, never a torn mix. Finished transfers leave nothing.
 *
 * <p>Many transfers planned at once (a dropped folder, a remote folder to download) are journaled
 * with one write instead of one each ({@link #savePlanned}): one {@code <group>.plan} holds them all, and an entry leaves it with a
 * one-line append to {@code <group>.plan.log} when it is deleted or saved on its own. To every other
 * method an entry of a plan is an entry like any other. An entry's own {@code <id>.json} outranks
 * its line in a plan (a crash between the two writes leaves both); a plan every entry of which has
 * left is removed. Releases before plans list only {@code *.json}: they do not see planned entries
 * and leave their files alone.
 *
 * <p>The folder is read once, on first use, into an index; after that this journal's own writes
 * keep index and disk in step, and {@link #reload()} reads the folder again to see what another
 * process wrote. Looking up one transfer ({@link #load}, {@link #find}) reads no file.
 *
 * <p>Thread-safe. {@link #recordPart} may be called from any thread at any time; {@link #save} and
 * {@link #delete} of one id are called by one thread at a time (they share a temporary file);
 * {@link #savePlanned} may be called from any thread, its ids being new. No lock is held during
 * file I/O.
 *
 * <pre>{@code
 * Journal journal = new Journal(dataDir.resolve("transfers"));
 * journal.savePlanned(plannedUploads);      // a dropped folder: one write
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
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    /** Planned transfers one {@link #savePlanned} takes at most; more are saved in several. */
    public static final int MAX_PLANNED = Plan.MAX_ENTRIES;

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
        leavePlan(current, entry.id()); // only now: the entry must never be in neither file
    }

    /**
     * Journals many planned transfers with one atomic, durable write, as if each were {@link #save}d:
     * uploads as {@code Upload.plan()} makes them (no upload id, no parts), or downloads as asked
     * ({@link JournalEntry.QueuedDownload}), with ids this journal does not hold yet. The journal names the group itself (a random UUID). An entry leaves the group
     * when it is {@link #delete}d or {@link #save}d again, with one short append; the group's files
     * go when the last entry has left. Nothing is written for an empty list.
     *
     * @throws IllegalArgumentException for more than {@value Plan#MAX_ENTRIES} entries (split them),
     *                                  an entry already known to storage, or an id twice or already held
     */
    public void savePlanned(List<? extends JournalEntry> planned) throws IOException {
        if (planned.size() > Plan.MAX_ENTRIES) {
            throw new IllegalArgumentException("A plan holds at most " + Plan.MAX_ENTRIES + " transfers, not " + planned.size()
                    + ": save them in several");
        }
        if (planned.isEmpty()) {
            return;
        }
        Set<String> ids = new HashSet<>();
        for (JournalEntry entry : planned) {
            file(entry.id());
            checkPlanned(entry);
            if (!ids.add(entry.id())) {
                throw new IllegalArgumentException("Transfer " + entry.id() + " is twice in the plan");
            }
        }
        Index current = index();
        synchronized (lock) {
            for (String id : ids) {
                if (current.get(id) != null) {
                    throw new IllegalArgumentException("Transfer " + id + " is already journaled");
                }
            }
        }
        PrivateFiles.createDirectories(dir);
        Plan written = new Plan(dir, UUID.randomUUID().toString());
        written.write(planned);
        synchronized (lock) {
            // A reload that read the folder meanwhile may have found the plan already: one object per group.
            Plan plan = current.plans.computeIfAbsent(written.group, group -> written);
            for (JournalEntry entry : planned) {
                current.put(new Slot(entry, new HashMap<>()));
                current.planOf.put(entry.id(), plan);
                plan.remaining.add(entry.id());
                changed(entry.id());
            }
        }
    }

    // What a plan may hold, whoever wrote it: a transfer only the journal knows (an upload storage
    // has not seen, a download not yet looked at), which can be found again.
    private static void checkPlanned(JournalEntry entry) {
        boolean planned = entry instanceof JournalEntry.Upload upload && upload.uploadId() == null && upload.sentParts().isEmpty()
                || entry instanceof JournalEntry.QueuedDownload;
        if (!planned) {
            throw new IllegalArgumentException("Transfer " + entry.id() + " is not a planned transfer: save it on its own");
        }
        if (entry.created() == null) {
            throw new IllegalArgumentException("Transfer " + entry.id() + " has no creation time");
        }
        entry.identity();
    }

    /**
     * Records that {@code id} left its plan, if one lists it: one short append, not fsynced. A leave
     * lost to a power cut puts the entry back as planned, and running it again finds its file
     * stored identically or its own {@code <id>.json}, which outranks the plan; an fsync here would
     * cost each small file of a drop what planning them in one write saved. The last to leave
     * removes the plan instead.
     */
    private void leavePlan(Index current, String id) throws IOException {
        Plan plan;
        byte[] line = null;
        boolean last;
        synchronized (lock) {
            plan = current.planOf.remove(id);
            if (plan == null) {
                return;
            }
            changed(id);
            plan.remaining.remove(id);
            last = plan.remaining.isEmpty();
            if (last) {
                current.plans.remove(plan.group, plan);
            } else {
                line = plan.leaveLine(id);
            }
        }
        if (last) {
            plan.deleteFiles();
            return;
        }
        if (PartLog.append(plan.log, line)) {
            return;
        }
        synchronized (lock) {
            if (current.plans.get(plan.group) != plan) {
                return; // the last entry left meanwhile and took the plan with it
            }
        }
        PartLog.appendCreating(plan.log, line); // the first to leave
        boolean gone;
        synchronized (lock) {
            gone = current.plans.get(plan.group) != plan;
        }
        if (gone) {
            Files.deleteIfExists(plan.log); // the plan went while its log was being made: leave nothing behind
        }
    }

    /**
     * Records that part (or range) {@code part} of transfer {@code id} is done, with its CRC32C: a
     * small append, not a rewrite of the entry. Nothing happens when the entry is gone (the
     * transfer finished or was thrown away meanwhile) or is an upload not yet created in storage
     * (it has no parts), and no file is made for it.
     */
    public void recordPart(String id, int part, String crc32c) throws IOException {
        Path log = partsFile(id);
        Index current = index();
        Slot slot;
        byte[] line;
        synchronized (lock) {
            slot = current.get(id);
            if (slot == null || slot.saved instanceof JournalEntry.Upload upload && upload.uploadId() == null) {
                // Gone, or an upload storage does not know yet: a part finishing now is another upload's.
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
                    mergePlans(current, read);
                }
                if (--reloads == 0) {
                    changedDuringReload.clear();
                }
            }
        }
    }

    // Under the lock: which plan lists an id follows the folder, as its entry does, except for ids written here meanwhile.
    private void mergePlans(Index current, Index read) {
        Set<String> ids = new HashSet<>(current.planOf.keySet());
        ids.addAll(read.planOf.keySet());
        for (String id : ids) {
            if (changedDuringReload.contains(id)) {
                continue;
            }
            Plan ours = current.planOf.get(id);
            Plan theirs = read.planOf.get(id);
            if (ours != null && theirs == null) {
                current.planOf.remove(id);
                ours.remaining.remove(id);
                if (ours.remaining.isEmpty()) {
                    current.plans.remove(ours.group, ours);
                }
            } else if (ours == null && theirs != null) {
                Plan plan = current.plans.computeIfAbsent(theirs.group, group -> {
                    Plan found = new Plan(dir, group);
                    found.tornLog = theirs.tornLog;
                    return found;
                });
                plan.remaining.add(id);
                current.planOf.put(id, plan);
            }
        }
    }

    // Under the lock: remembered only while a reload reads the folder.
    private void changed(String id) {
        if (reloads > 0) {
            changedDuringReload.add(id);
        }
    }

    /** Removes the entry's files, or its line in a plan; a part recorded afterwards is ignored. */
    public void delete(String id) throws IOException {
        Path json = file(id);
        Index current = index();
        synchronized (lock) {
            current.remove(id);
            changed(id);
        }
        Files.deleteIfExists(json);
        Files.deleteIfExists(partsFile(id));
        leavePlan(current, id);
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
            files = listed.toList();
        }
        for (Path file : files) {
            if (!file.getFileName().toString().endsWith(SUFFIX)) {
                continue;
            }
            try {
                read.put(readEntry(file));
            } catch (IOException | RuntimeException e) {
                LOG.warn("Skipping unreadable journal file {}: {}", file.getFileName(), e.getMessage());
            }
        }
        // After the entries' own files, which outrank a plan's line.
        for (Path file : files) {
            String group = Plan.groupOf(file);
            if (group == null) {
                continue;
            }
            try {
                readPlan(read, new Plan(dir, group));
            } catch (IOException | RuntimeException e) {
                LOG.warn("Skipping unreadable journal plan {}: {}", file.getFileName(), e.getMessage());
            }
        }
        for (Path file : files) {
            String group = Plan.groupOfLog(file);
            if (group != null && !read.plans.containsKey(group) && Files.notExists(dir.resolve(group + Plan.SUFFIX))) {
                // Its plan was removed and a crash kept the log, or a late leave made it again: no plan reads it.
                deleteQuietly(file);
            }
            if (Plan.groupOfTemp(file) != null && Plan.abandoned(file)) {
                deleteQuietly(file); // a crash mid-write left it, and no later write reuses a plan's name
            }
        }
        return read;
    }

    private void readPlan(Index read, Plan plan) throws IOException {
        Plan.Stored stored = plan.read();
        Plan.Left left = plan.readLog();
        if (Files.notExists(plan.file)) {
            return; // its last entry left between the two reads, and the log read may have missed the leaves
        }
        plan.tornLog = left.torn();
        for (JournalEntry entry : stored.entries()) {
            try {
                checkEntry(entry);
                file(entry.id());
                checkPlanned(entry);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Skipping an unreadable entry of journal plan {}: {}", plan.file.getFileName(), e.getMessage());
                continue;
            }
            String id = entry.id();
            if (left.ids().contains(id) || read.planOf.containsKey(id)) {
                continue;
            }
            plan.remaining.add(id);
            read.planOf.put(id, plan);
            if (read.get(id) == null) {
                read.put(new Slot(entry, new HashMap<>()));
            }
        }
        if (plan.remaining.isEmpty()) {
            // Every entry left, and no entry can join a plan: finished (another process's last leave, or a crash before its removal).
            try {
                plan.deleteFiles();
            } catch (IOException e) {
                LOG.warn("Cannot remove finished journal plan {}: {}", plan.file.getFileName(), e.getMessage());
            }
            return;
        }
        read.plans.put(plan.group, plan);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot remove journal file {}: {}", file.getFileName(), e.getMessage());
        }
    }

    private Slot readEntry(Path file) throws IOException {
        JournalEntry entry = Json.STORED.readValue(file.toFile(), JournalEntry.class);
        checkEntry(entry);
        if (!file.getFileName().toString().equals(entry.id() + SUFFIX)) {
            throw new IOException("holds the entry of another transfer, " + entry.id());
        }
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

    private static void checkEntry(JournalEntry entry) throws IOException {
        if (entry == null || entry.id() == null || entry.created() == null) {
            throw new IOException("not a complete journal entry");
        }
        entry.identity(); // an entry without what identifies it could never be found again
    }

    /** True for what may name a transfer, or a plan: it becomes a file name in the folder. */
    static boolean isId(String id) {
        return ID.matcher(id).matches();
    }

    private Path file(String id) {
        if (!isId(id)) {
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

    /** The entries by id, by age and by identity, and the plans that still list some; guarded by the journal's lock. */
    private static final class Index {
        final Map<String, Slot> byId = new HashMap<>();
        final Map<String, Plan> plans = new HashMap<>(); // by group
        final Map<String, Plan> planOf = new HashMap<>(); // by id: the plan that lists it and it has not left
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
