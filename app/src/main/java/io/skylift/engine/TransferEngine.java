package io.skylift.engine;

import io.skylift.engine.internal.EngineContext;
import io.skylift.engine.internal.FlowQueue;
import io.skylift.engine.internal.RefusedDownload;
import io.skylift.engine.internal.TransferRun;
import io.skylift.engine.internal.api.BackendClient;
import io.skylift.engine.internal.api.CreateBatcher;
import io.skylift.engine.internal.checksum.Crc32c;
import io.skylift.engine.internal.files.Selection;
import io.skylift.engine.internal.http.ContinueWait;
import io.skylift.engine.internal.http.ExpectContinue;
import io.skylift.engine.internal.http.Throttle;
import io.skylift.engine.internal.journal.Journal;
import io.skylift.engine.internal.journal.JournalEntry;
import io.skylift.engine.internal.local.LocalTree;
import io.skylift.engine.internal.progress.EventPublisher;
import io.skylift.engine.internal.retry.Backoff;
import io.skylift.engine.internal.retry.RetryPolicy;
import io.skylift.engine.internal.route.Route;
import io.skylift.engine.internal.schedule.ByteMeter;
import io.skylift.engine.internal.schedule.ConnectionGovernor;
import io.skylift.engine.internal.schedule.PartScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * Moves files between this computer and storage through the Skylift API: uploads, downloads,
 * resumes after a crash, and lists remote files. The command line and the desktop window are two
 * faces of this one class; it knows nothing of either.
 *
 * <p>One route lies behind it, chosen once at start: presigned URLs from the Skylift API (the
 * default), or, when the settings name a {@link DirectTarget}, the AWS transfer manager on the CRT
 * with the person's own credentials. Both share the queue, the events, the journal and the pause
 * and resume; nothing here asks which one it has.
 *
 * <pre>{@code
 * try (TransferEngine engine = TransferEngine.start(EngineSettings.of(api, () -> token, journalDir))) {
 *     engine.addListener(new TransferListener() {
 *         public void onStateChanged(Progress p) { System.out.println(p.name() + " " + p.state()); }
 *     });
 *     engine.upload(Path.of("shoot"), "2026-11-22 wedding").forEach(t -> t.stopped().join());
 * }
 * }</pre>
 *
 * <p>Threads: a pool of workers carries file bytes for every transfer, as many at once as pay, up to
 * {@code concurrency} (a governor thread decides once a second; see docs/concurrency.md); each
 * transfer's flow runs on its own virtual thread, at most
 * {@code activeTransfers} at a time; listeners hear every event from one thread, in order.
 * Thread-safe.
 */
public final class TransferEngine implements AutoCloseable {

    /**
     * Files one folder download, or one restore of folders, takes on at most: each is held (a plan, a
     * journal line, a handle) until the job starts, so a folder of millions would fill the memory.
     */
    public static final int MAX_FOLDER_FILES = 100_000;

    private final EngineSettings settings;
    private final EngineContext context;
    private final ConnectionGovernor governor; // null on the direct route: the CRT paces itself
    private final Route route;
    private final EventPublisher events;
    private final FlowQueue flows;
    private final Map<String, Transfer> transfers = new ConcurrentHashMap<>();
    private final List<TransferListener> listeners = new CopyOnWriteArrayList<>();
    private final RemoteFiles files;
    private final Shares shares;
    private volatile int maxFolderFiles = MAX_FOLDER_FILES; // smaller in tests

    private TransferEngine(EngineSettings settings, EngineContext context, ConnectionGovernor governor, Route route) {
        this.settings = settings;
        this.context = context;
        this.governor = governor;
        this.route = route;
        this.flows = new FlowQueue(settings.activeTransfers());
        this.files = new RemoteFiles(this, context.api());
        this.shares = new Shares(context.api());
        this.events = new EventPublisher(new EventPublisher.Sink() {
            @Override
            public void stateChanged(Progress progress) {
                listeners.forEach(l -> l.onStateChanged(progress));
            }

            @Override
            public void progressed(Progress progress) {
                listeners.forEach(l -> l.onProgress(progress));
            }
        });
    }

    public static TransferEngine start(EngineSettings settings) {
        OkHttpClient http = new OkHttpClient.Builder()
                // Idle connections kept for the most workers there may be, and a few for API calls.
                .connectionPool(new ConnectionPool(settings.concurrency() + 4, 5, TimeUnit.MINUTES))
                .connectTimeout(Duration.ofSeconds(15))
                .readTimeout(settings.ioTimeout())
                .writeTimeout(settings.ioTimeout())
                // Every resend is the retry policy's decision, so the sends of a part can be counted.
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                // A probing PUT's wait for 100 Continue starts once its connection is open.
                .addNetworkInterceptor(ContinueWait.START)
                .build();
        var api = settings.api() == null ? null : new BackendClient(http, settings.api(), settings.token(), Backoff.API);
        // Through the API the number of workers follows what they move, within the setting; the CRT gets the setting as it is.
        boolean governed = settings.direct() == null;
        var scheduler = new PartScheduler(governed ? ConnectionGovernor.startSize(settings.concurrency()) : settings.concurrency());
        var meter = new ByteMeter();
        var governor = governed ? new ConnectionGovernor(scheduler, meter, settings.concurrency()) : null;
        var retry = new RetryPolicy(Backoff.PARTS, governed ? governor::congested : RetryPolicy.Congestion.NONE);
        var context = new EngineContext(api, http, scheduler, new Journal(settings.journalDir()),
                retry, new Throttle(), new AtomicLong(settings.partSize()), Clock.systemUTC(),
                new ExpectContinue(), api == null ? null : new CreateBatcher(api), meter);
        return new TransferEngine(settings, context, governor, Route.open(settings, context));
    }

    public EngineSettings settings() {
        return settings;
    }

    public void addListener(TransferListener listener) {
        listeners.add(listener);
    }

    public void removeListener(TransferListener listener) {
        listeners.remove(listener);
    }

    // ----- starting transfers -----

    /**
     * Uploads a file, or every file under a folder keeping their paths relative to it, into
     * {@code folder} (null or empty for the top of the person's space). A file with an unfinished
     * upload into the same folder continues that one.
     */
    public List<Transfer> upload(Path fileOrFolder, String folder) {
        return upload(fileOrFolder, folder, UploadOptions.DEFAULT);
    }

    /**
     * As {@link #upload(Path, String)}: running it again finishes the job. A file storage already
     * holds with the same size and CRC32C is done without sending a byte ({@link TransferResult#skipped()});
     * an unfinished one continues; one whose name another file holds follows {@code options.ifExists()}.
     */
    public List<Transfer> upload(Path fileOrFolder, String folder, UploadOptions options) {
        return upload(List.of(fileOrFolder), folder, options);
    }

    /** As {@link #upload(Path, String, UploadOptions)} for several files and folders, journaled together. */
    public List<Transfer> upload(List<Path> filesOrFolders, String folder, UploadOptions options) {
        // Resumed ones start at once; the new ones are journaled together first, then started in order.
        List<Object> planned = new ArrayList<>();
        List<TransferRun> fresh = new ArrayList<>();
        List<FolderFile> files = new ArrayList<>();
        filesOrFolders.forEach(source -> files.addAll(filesOf(source, folder, options)));
        for (FolderFile file : files) {
            String name = file.file().getFileName().toString();
            Optional<JournalEntry> unfinished = unfinished(JournalEntry.uploadIdentity(file.file(), file.remoteFolder(), name));
            if (unfinished.isPresent()) {
                planned.add(resumeEntry(withPolicy(unfinished.get(), options.ifExists())));
            } else {
                TransferRun run = route.upload(newId(), file.file(), file.remoteFolder(), null, options.ifExists());
                fresh.add(run);
                planned.add(run);
            }
        }
        route.plan(fresh);
        return planned.stream().map(p -> p instanceof TransferRun run ? begin(run) : (Transfer) p).toList();
    }

    // Asked again with another policy before storage knew of it: the new one holds (it decides nothing until the create).
    private JournalEntry withPolicy(JournalEntry entry, IfExists ifExists) {
        if (entry instanceof JournalEntry.Upload upload && upload.uploadId() == null && !transfers.containsKey(upload.id())
                && (upload.ifExists() == null ? IfExists.FAIL : upload.ifExists()) != ifExists) {
            JournalEntry.Upload changed = upload.withIfExists(ifExists);
            try {
                context.journal().save(changed);
            } catch (IOException e) {
                throw new TransferException(TransferException.Reason.LOCAL_IO, "Cannot write the transfer journal in "
                        + context.journal().dir() + ": " + e.getMessage(), false, e);
            }
            return changed;
        }
        return entry;
    }

    /**
     * What {@link #upload(Path, String, UploadOptions)} would do with each file, without sending or
     * creating anything: it lists the remote folders and, for a name taken by a file of the same size,
     * reads the local file's CRC32C to compare.
     */
    public List<UploadPreview> previewUpload(Path fileOrFolder, String folder, UploadOptions options) {
        String home = route.account().home();
        Map<String, Map<String, RemoteEntry>> listed = new java.util.HashMap<>();
        List<UploadPreview> previews = new ArrayList<>();
        for (FolderFile file : filesOf(fileOrFolder, folder, options)) {
            Path path = file.file();
            String name = java.text.Normalizer.normalize(path.getFileName().toString(), java.text.Normalizer.Form.NFC);
            Map<String, RemoteEntry> there = listed.computeIfAbsent(file.remoteFolder(), f -> {
                Map<String, RemoteEntry> byName = new java.util.HashMap<>();
                // Storage holds names as the backend normalised them (NFC); macOS hands out decomposed ones.
                String prefix = java.text.Normalizer.normalize(home + (f.isEmpty() ? "" : f + "/"), java.text.Normalizer.Form.NFC);
                listAll(prefix, true).stream().filter(e -> !e.folder()).forEach(e -> byName.put(e.name(), e));
                return byName;
            });
            long size = sizeOf(path);
            if (unfinished(JournalEntry.uploadIdentity(path, file.remoteFolder(), path.getFileName().toString())).isPresent()) {
                previews.add(new UploadPreview(path, file.remoteFolder(), name, size, UploadPreview.Verdict.RESUME, "an unfinished upload continues"));
                continue;
            }
            RemoteEntry stored = there.get(name);
            if (stored == null) {
                previews.add(new UploadPreview(path, file.remoteFolder(), name, size, UploadPreview.Verdict.SEND, "new"));
                continue;
            }
            if (stored.size() == size && route.storedChecksum(stored.key()).filter(crc -> crc.equals(checksumOf(path))).isPresent()) {
                previews.add(new UploadPreview(path, file.remoteFolder(), name, size, UploadPreview.Verdict.ALREADY_STORED,
                        "already stored (same size and CRC32C)"));
                continue;
            }
            String other = "another file of that name is stored (" + stored.size() + " bytes)";
            previews.add(switch (options.ifExists()) {
                case SKIP -> new UploadPreview(path, file.remoteFolder(), name, size, UploadPreview.Verdict.SKIP, other + "; skipped");
                case RENAME -> {
                    String copy = freeName(name, there);
                    there.put(copy, new RemoteEntry(stored.key(), false, size, null, null));
                    yield new UploadPreview(path, file.remoteFolder(), copy, size, UploadPreview.Verdict.RENAME, other + "; kept as " + copy);
                }
                default -> new UploadPreview(path, file.remoteFolder(), name, size, UploadPreview.Verdict.REFUSE, other + "; refused");
            });
        }
        return previews;
    }

    private static String freeName(String name, Map<String, RemoteEntry> taken) {
        for (int n = 1; ; n++) {
            String candidate = NumberedName.of(name, n);
            if (!taken.containsKey(candidate)) {
                return candidate;
            }
        }
    }

    private static String checksumOf(Path file) {
        try {
            return Crc32c.ofFile(file);
        } catch (IOException e) {
            throw new TransferException(TransferException.Reason.LOCAL_IO, "Cannot read " + file + ": " + e.getMessage(), false, e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new TransferException(TransferException.Reason.LOCAL_IO, "Cannot read " + file + ": " + e.getMessage(), false, e);
        }
    }

    private static List<FolderFile> filesOf(Path fileOrFolder, String folder, UploadOptions options) {
        Path source = fileOrFolder.toAbsolutePath().normalize();
        String base = folder == null ? "" : folder.replaceAll("/+$", "");
        return Files.isDirectory(source) ? FolderFile.in(source, base, options.exclusions()) : List.of(new FolderFile(source, base));
    }

    /** Uploads one file under another name, e.g. "IMG_0001 (1).CR3" to keep both when the name is taken. */
    public Transfer uploadAs(Path file, String folder, String remoteName) {
        TransferRun run = route.upload(newId(), file.toAbsolutePath().normalize(), folder == null ? "" : folder, remoteName, IfExists.FAIL);
        route.plan(List.of(run));
        return begin(run);
    }

    /**
     * Downloads {@code key} into {@code folder}; an unfinished download of the same file into the
     * same folder is resumed instead of started again.
     */
    public Transfer download(String key, Path folder, IfExists ifExists) {
        if (ifExists == IfExists.SKIP) {
            throw new IllegalArgumentException("SKIP is for uploads; a download fails, keeps both or replaces");
        }
        Path into = folder.toAbsolutePath().normalize();
        return unfinished(JournalEntry.downloadIdentity(key, into)).map(this::resumeEntry)
                .orElseGet(() -> begin(route.download(newId(), key, into, ifExists)));
    }

    /**
     * Downloads files and folders into {@code into}. A key downloads as {@link #download(String, Path,
     * IfExists)} does. A folder, a key ending in '/', becomes {@code into/<its last segment>/} with the
     * same tree below it, like a copy in a file manager, as one job: all its files are listed and
     * journaled before the first starts, so after a crash {@link #resumeAll()} or the same call again
     * fetches only what is missing. A folder's file already here with the same size (and CRC32C, where
     * storage holds one) is done without fetching ({@link TransferResult#skipped()} "identical"); another
     * file of its name follows {@code ifExists}. A file whose path cannot be a local one as stored (a
     * ".." or "." segment, an empty one, a name no disk takes as it is) never lands outside the folder:
     * its transfer fails at once saying so, and the others go on.
     *
     * <pre>{@code
     * engine.download(List.of("u/me/2026-11-22 wedding/"), Path.of("/photos"), IfExists.FAIL)
     *         .forEach(t -> t.stopped().join());   // /photos/2026-11-22 wedding/...
     * }</pre>
     *
     * @throws TransferException NOT_FOUND when a folder holds no file; the listing's refusal when it may not be read;
     *                           BAD_REQUEST, before anything starts, when the folders hold more than {@link #MAX_FOLDER_FILES} files
     */
    public List<Transfer> download(List<String> keysOrFolders, Path into, IfExists ifExists) {
        if (ifExists == IfExists.SKIP) {
            throw new IllegalArgumentException("SKIP is for uploads; a download fails, keeps both or replaces");
        }
        Path base = into.toAbsolutePath().normalize();
        // Everything is listed and journaled first, then started in order: a folder that cannot be read starts nothing.
        List<Object> planned = new ArrayList<>();
        List<TransferRun> fresh = new ArrayList<>();
        java.util.Set<String> asked = new java.util.HashSet<>(); // a file asked twice (two overlapping folders) is one transfer
        int limit = maxFolderFiles;
        long listed = 0;
        for (String item : Selection.distinct(keysOrFolders)) {
            if (!item.endsWith("/")) {
                planned.add(item);
                continue;
            }
            Path top = LocalTree.top(base, item);
            int found = 0;
            String cursor = null;
            do {
                RemotePage page = list(item, false, cursor);
                for (RemoteEntry file : page.entries()) {
                    if (file.folder() || file.key().endsWith("/") || !file.key().startsWith(item)) {
                        continue; // a folder's marker object holds nothing to fetch
                    }
                    found++;
                    if (++listed > limit) {
                        throw tooManyFiles(found > limit ? item : null, limit, "download");
                    }
                    Object transfer = folderFile(file, item, top, ifExists, fresh, asked);
                    if (transfer != null) {
                        planned.add(transfer);
                    }
                }
                cursor = page.nextCursor();
            } while (cursor != null);
            if (found == 0) {
                throw new TransferException(TransferException.Reason.NOT_FOUND, "There are no files under " + item
                        + " (see `skylift ls`).", false);
            }
        }
        route.plan(fresh);
        return planned.stream().map(p -> switch (p) {
            case String key -> download(key, base, ifExists);
            case TransferRun run -> begin(run);
            case JournalEntry unfinished -> resumeEntry(unfinished);
            default -> throw new IllegalStateException("not a planned download: " + p);
        }).toList();
    }

    /** {@code folder} null when it took several folders to go over. */
    static TransferException tooManyFiles(String folder, int limit, String verb) {
        String most = String.format(java.util.Locale.ROOT, "%,d", limit);
        return new TransferException(TransferException.Reason.BAD_REQUEST, folder != null
                ? folder + " holds more than " + most + " files; " + verb + " its sub-folders one by one."
                : "These folders hold more than " + most + " files together; " + verb + " them one at a time.", false);
    }

    int maxFolderFiles() {
        return maxFolderFiles;
    }

    void maxFolderFiles(int limit) {
        maxFolderFiles = limit;
    }

    // One file of a folder: its unfinished download's entry (to continue), else a new run (not yet
    // journaled), or a refusal; null when this call asked for it already.
    private Object folderFile(RemoteEntry file, String folder, Path top, IfExists ifExists, List<TransferRun> fresh,
                              java.util.Set<String> asked) {
        Path local;
        try {
            local = LocalTree.place(top, file.key().substring(folder.length()), file.key());
        } catch (TransferException unsafe) {
            return asked.add(file.key()) ? new RefusedDownload(context, newId(), file.key(), file.size(), unsafe) : null;
        }
        String identity = JournalEntry.downloadIdentity(file.key(), local.getParent());
        if (!asked.add(identity)) {
            return null;
        }
        Optional<JournalEntry> unfinished = unfinished(identity);
        if (unfinished.isPresent()) {
            return unfinished.get();
        }
        TransferRun run = route.folderDownload(newId(), file.key(), local.getParent(), local.getFileName().toString(), ifExists);
        fresh.add(run);
        return run;
    }

    /**
     * What {@link #download(List, Path, IfExists)} would fetch, found by listing alone: files, bytes,
     * and how many are archived (their downloads would be refused until restored). Holds one page of
     * the listing at a time, so a folder of any size costs little memory.
     *
     * @throws TransferException NOT_FOUND for a key that names no file
     */
    public DownloadPreview previewDownload(List<String> keysOrFolders) {
        long files = 0;
        long bytes = 0;
        long archived = 0;
        // Counted as download fetches them: an item named twice once, a folder inside another named as well apart (it lands apart).
        for (String item : Selection.distinct(keysOrFolders)) {
            if (!item.endsWith("/")) {
                RemoteEntry file = stored(item).orElseThrow(() -> new TransferException(TransferException.Reason.NOT_FOUND,
                        "There is no file " + item + " (see `skylift ls`).", false));
                files++;
                bytes += file.size();
                archived += file.archive().downloadable() ? 0 : 1;
                continue;
            }
            String cursor = null;
            do {
                RemotePage page = list(item, false, cursor);
                for (RemoteEntry file : page.entries()) {
                    if (!file.folder() && !file.key().endsWith("/")) {
                        files++;
                        bytes += file.size();
                        archived += file.archive().downloadable() ? 0 : 1;
                    }
                }
                cursor = page.nextCursor();
            } while (cursor != null);
        }
        return new DownloadPreview(files, bytes, archived);
    }

    // A key sorts before every other key it begins, so the first page of a listing under it names it if it is stored.
    Optional<RemoteEntry> stored(String key) {
        return list(key, false, null).entries().stream().filter(e -> !e.folder() && e.key().equals(key)).findFirst();
    }

    private Transfer resumeEntry(JournalEntry entry) {
        Transfer transfer = handleOf(entry);
        transfer.resume();
        return transfer;
    }

    // One handle per journal entry however many callers ask at once (a window restoring while a
    // drop plans, say): two runs of one entry would share its files.
    private Transfer handleOf(JournalEntry entry) {
        return transfers.computeIfAbsent(entry.id(), id -> {
            TransferRun run = route.resume(entry);
            run.restored(entry.bytesDone(), entry.reason());
            Transfer transfer = handle(run);
            transfer.restored();
            return transfer;
        });
    }

    /** Resumes one unfinished transfer by id (or a unique id prefix). */
    public Transfer resume(String id) {
        Transfer live = transfers.get(id);
        if (live != null) {
            live.resume();
            return live;
        }
        reloadJournal();
        List<JournalEntry> matches = journalEntries().stream().filter(e -> e.id().startsWith(id)).toList();
        if (matches.size() != 1) {
            throw new TransferException(TransferException.Reason.NOT_FOUND, matches.isEmpty()
                    ? "No unfinished transfer has the id " + id + "; see `skylift transfers`."
                    : "The id " + id + " matches " + matches.size() + " transfers; give more of it.", false);
        }
        return resumeEntry(matches.getFirst());
    }

    /** Resumes every unfinished transfer in the journal. */
    public List<Transfer> resumeAll() {
        reloadJournal();
        List<Transfer> resumed = new ArrayList<>();
        for (JournalEntry entry : journalEntries()) {
            Transfer transfer = handleOf(entry);
            if (transfer.state() == TransferState.PAUSED) {
                transfer.resume();
                resumed.add(transfer);
            }
        }
        return resumed;
    }

    /**
     * Handles on the transfers the journal holds from earlier runs, paused: nothing moves until
     * {@link Transfer#resume()} (a window shows them with "Resume all").
     */
    public List<Transfer> restoreUnfinished() {
        return journalEntries().stream().map(this::handleOf).toList();
    }

    /** Transfers the journal holds from earlier runs (of this or another process) that this engine can resume. */
    public List<UnfinishedTransfer> unfinished() {
        reloadJournal();
        return journalEntries().stream().map(entry -> {
            Transfer live = transfers.get(entry.id());
            return live == null ? entry.describe() : entry.describe().withBytesDone(live.progress().bytesDone());
        }).toList();
    }

    /** Every transfer the journal in {@code journalDir} holds, whichever its connection: no engine needed. */
    public static List<UnfinishedTransfer> unfinishedIn(Path journalDir) {
        return entriesIn(new Journal(journalDir)).stream().map(JournalEntry::describe).toList();
    }

    /**
     * Changes how hard the engine pushes, while transfers run.
     *
     * @param concurrency    the most connections carrying file bytes (1..64). Through the API the number
     *                       now is brought within it, and up to {@code min(8, concurrency)} if below, then
     *                       adapts as before: so 8 or fewer is the number itself, unless storage pushes back.
     *                       Direct transfers keep the number they started with (the CRT's, fixed at connect)
     * @param partSize       for uploads started from now on; 0 for the service's plan
     * @param bytesPerSecond shared limit for all transfers; 0 for none
     */
    public void tune(int concurrency, long partSize, long bytesPerSecond) {
        if (governor != null) {
            governor.cap(concurrency);
        } else {
            context.scheduler().resize(concurrency);
        }
        context.requestedPartSize().set(partSize);
        context.throttle().limit(bytesPerSecond);
    }

    /**
     * Connections carrying file bytes now, or that may, shared by every transfer: what the window's
     * status bar and the command line's progress show as "N conn". Through the API it changes as the
     * engine finds how many pay (at most {@link EngineSettings#concurrency()}); directly to a bucket,
     * the CRT's fixed number. Never blocks.
     */
    public int connections() {
        return governor != null ? context.scheduler().workers() : settings.concurrency();
    }

    /** Pauses every running or queued transfer and waits until each has recorded where it is. */
    public void pauseAll() {
        List<Transfer> running = transfers.values().stream().filter(t -> t.state().allows(TransferState.Action.PAUSE)
                || t.state() == TransferState.VERIFYING).toList();
        running.forEach(Transfer::pause);
        running.forEach(t -> t.stopped().join());
    }

    // ----- remote files -----

    /**
     * One page of the files under {@code prefix} that the person may read.
     *
     * @param folders true to list sub-folders as entries instead of every file below them
     */
    public RemotePage list(String prefix, boolean folders, String cursor) {
        return route.list(prefix, folders, cursor);
    }

    /** Every page of {@link #list}, read one after the other. */
    public List<RemoteEntry> listAll(String prefix, boolean folders) {
        List<RemoteEntry> all = new ArrayList<>();
        String cursor = null;
        do {
            RemotePage page = list(prefix, folders, cursor);
            all.addAll(page.entries());
            cursor = page.nextCursor();
        } while (cursor != null);
        return all;
    }

    /**
     * Deletes, moves and restores stored files through the Skylift API (blocking calls; never on a
     * window's event thread). On the direct route each of them is refused, saying so.
     */
    public RemoteFiles files() {
        return files;
    }

    /** Share links to stored files and folders (blocking calls; refused on the direct route). */
    public Shares shares() {
        return shares;
    }

    /** A page of remote entries; {@code nextCursor} is null on the last page. */
    public record RemotePage(String prefix, List<RemoteEntry> entries, String nextCursor) {}

    /** Who is signed in: checks the API URL and token (or the AWS credentials) in one call. */
    public Account account() {
        return route.account();
    }

    /** The signed-in person and where they may read. */
    public record Account(String id, String name, List<String> roles, String home, List<String> readablePrefixes) {}

    // ----- running flows -----

    private Transfer begin(TransferRun run) {
        Transfer transfer = handle(run);
        transfers.put(run.id(), transfer);
        transfer.start(null);
        return transfer;
    }

    private Transfer handle(TransferRun run) {
        run.lifecycle().announceTo(events.announcerFor(run));
        // Done and cancelled transfers are over; a failed one stays, so it can be tried again.
        return new Transfer(run, flows, (transfer, state) -> {
            if (state == TransferState.DONE || state == TransferState.CANCELLED) {
                transfers.remove(run.id(), transfer);
            }
        });
    }

    // Each route sees only its own entries: a direct engine resumes only its bucket's and server's.
    private List<JournalEntry> journalEntries() {
        return entriesIn(context.journal()).stream().filter(route::owns).toList();
    }

    // One look-up in the journal's index, not a walk over every entry: folders of thousands plan in O(n).
    private Optional<JournalEntry> unfinished(String identity) {
        try {
            return context.journal().withIdentity(identity).stream().filter(route::owns).findFirst();
        } catch (IOException e) {
            throw journalUnreadable(context.journal(), e);
        }
    }

    // Asked for by a person (a list, "resume all"): what another process wrote since must show too.
    private void reloadJournal() {
        try {
            context.journal().reload();
        } catch (IOException e) {
            throw journalUnreadable(context.journal(), e);
        }
    }

    private static List<JournalEntry> entriesIn(Journal journal) {
        try {
            return journal.all();
        } catch (IOException e) {
            throw journalUnreadable(journal, e);
        }
    }

    private static TransferException journalUnreadable(Journal journal, IOException e) {
        return new TransferException(TransferException.Reason.LOCAL_IO, "Cannot read the transfer journal in "
                + journal.dir() + ": " + e.getMessage(), false, e);
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    @Override
    public void close() {
        pauseAll();
        flows.close();
        events.close();
        if (governor != null) {
            governor.close();
        }
        context.scheduler().close();
        context.http().dispatcher().executorService().shutdown();
        context.http().connectionPool().evictAll();
        route.close();
        if (context.creates() != null) {
            context.creates().close();
        }
    }
}
