package io.skylift.engine;

import io.skylift.engine.internal.EngineContext;
import io.skylift.engine.internal.TransferRun;
import io.skylift.engine.internal.api.ApiCallException;
import io.skylift.engine.internal.api.BackendClient;
import io.skylift.engine.internal.api.Wire;
import io.skylift.engine.internal.direct.DirectDownload;
import io.skylift.engine.internal.direct.DirectS3;
import io.skylift.engine.internal.direct.DirectUpload;
import io.skylift.engine.internal.download.Download;
import io.skylift.engine.internal.download.Placement;
import io.skylift.engine.internal.http.Throttle;
import io.skylift.engine.internal.journal.Journal;
import io.skylift.engine.internal.journal.JournalEntry;
import io.skylift.engine.internal.progress.ProgressPublisher;
import io.skylift.engine.internal.retry.Backoff;
import io.skylift.engine.internal.retry.RetryPolicy;
import io.skylift.engine.internal.schedule.PartScheduler;
import io.skylift.engine.internal.upload.Upload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * Moves files between this computer and storage through the Skylift API: uploads, downloads,
 * resumes after a crash, and lists remote files. The command line and the desktop window are two
 * faces of this one class; it knows nothing of either.
 *
 * <p>Two routes lie behind it: presigned URLs from the Skylift API (the default), or, when the
 * settings name a {@link DirectTarget}, the AWS transfer manager on the CRT with the person's own
 * credentials. Both share the queue, the progress, the journal and the pause and resume.
 *
 * <pre>{@code
 * try (TransferEngine engine = TransferEngine.start(EngineSettings.of(api, () -> token, journalDir))) {
 *     engine.addListener(new TransferListener() { ... });
 *     engine.upload(Path.of("shoot"), "2026-11-22 wedding").forEach(t -> t.stopped().join());
 * }
 * }</pre>
 *
 * <p>Threads: a pool of {@code concurrency} workers carries file bytes for every transfer (see
 * docs/concurrency.md); each transfer's flow runs on its own virtual thread, at most
 * {@code activeTransfers} at a time. Thread-safe.
 */
public final class TransferEngine implements AutoCloseable {

    private final EngineSettings settings;
    private final EngineContext context;
    private final DirectS3 direct;
    private final ProgressPublisher publisher;
    private final Semaphore activeSlots;
    private final ExecutorService flows = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Transfer> transfers = new ConcurrentHashMap<>();
    private final List<TransferListener> listeners = new CopyOnWriteArrayList<>();

    private TransferEngine(EngineSettings settings, EngineContext context, DirectS3 direct) {
        this.settings = settings;
        this.context = context;
        this.direct = direct;
        this.activeSlots = new Semaphore(settings.activeTransfers(), true);
        this.publisher = new ProgressPublisher(this::publishTick);
    }

    public static TransferEngine start(EngineSettings settings) {
        OkHttpClient http = new OkHttpClient.Builder()
                // Idle connections kept for the workers, and a few for API calls.
                .connectionPool(new ConnectionPool(settings.concurrency() + 4, 5, java.util.concurrent.TimeUnit.MINUTES))
                .connectTimeout(java.time.Duration.ofSeconds(15))
                .readTimeout(settings.ioTimeout())
                .writeTimeout(settings.ioTimeout())
                .retryOnConnectionFailure(true)
                .followRedirects(false)
                .build();
        var api = settings.api() == null ? null : new BackendClient(http, settings.api(), settings.token(), Backoff.API);
        var context = new EngineContext(api, http, new PartScheduler(settings.concurrency()), new Journal(settings.journalDir()),
                new RetryPolicy(Backoff.PARTS), new Throttle(), new AtomicLong(settings.partSize()), Clock.systemUTC());
        DirectS3 direct = settings.direct() == null ? null : DirectS3.open(settings.direct(), settings.concurrency(), settings.partSize());
        return new TransferEngine(settings, context, direct);
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
     * {@code folder} (null or empty for the top of the person's space).
     */
    public List<Transfer> upload(Path fileOrFolder, String folder) {
        Path source = fileOrFolder.toAbsolutePath().normalize();
        String base = folder == null ? "" : folder.replaceAll("/+$", "");
        if (!Files.isDirectory(source)) {
            return List.of(uploadOrResume(source, base));
        }
        return uploadFolder(source, base);
    }

    /** Uploads one file under another name, e.g. "IMG_0001 (1).CR3" to keep both when the name is taken. */
    public Transfer uploadAs(Path file, String folder, String remoteName) {
        Path source = file.toAbsolutePath().normalize();
        String base = folder == null ? "" : folder;
        if (direct != null) {
            return beginDirectUpload(new DirectUpload(context, direct, newId(), source, base, remoteName));
        }
        return beginUpload(new Upload(context, newId(), source, base, remoteName));
    }

    private List<Transfer> uploadFolder(Path source, String base) {
        List<Transfer> started = new ArrayList<>();
        for (FolderFile file : filesOf(source, base)) {
            started.add(uploadOrResume(file.file(), file.remoteFolder()));
        }
        return started;
    }

    /** A file of a folder upload and the remote folder it lands in. */
    public record FolderFile(Path file, String remoteFolder) {}

    /**
     * Where uploading {@code source} into {@code base} puts each of its files: the folder itself
     * becomes a remote folder, and paths below it are kept. Sorted, so a queue shows them in order.
     */
    public static List<FolderFile> filesOf(Path source, String base) {
        String top = join(base == null ? "" : base.replaceAll("/+$", ""), source.getFileName().toString());
        try (Stream<Path> files = Files.walk(source)) {
            return files.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).map(file -> {
                Path relative = source.relativize(file.getParent());
                return new FolderFile(file, relative.toString().isEmpty() ? top : join(top, relative.toString().replace('\\', '/')));
            }).toList();
        } catch (IOException e) {
            throw new TransferException(TransferException.Reason.LOCAL_IO, "Cannot read the folder " + source + ": " + e.getMessage(), false, e);
        }
    }

    /**
     * Downloads {@code key} into {@code folder}; an unfinished download of the same file into the
     * same folder is resumed instead of started again.
     */
    public Transfer download(String key, Path folder, IfExists ifExists) {
        Path into = folder.toAbsolutePath().normalize();
        for (JournalEntry entry : journalEntries()) {
            if (entry instanceof JournalEntry.Download d && d.key().equals(key) && Path.of(d.target()).getParent().equals(into)) {
                return resumeEntry(d);
            }
            if (entry instanceof JournalEntry.DirectDownload d && d.key().equals(key) && Path.of(d.target()).getParent().equals(into)) {
                return resumeEntry(d);
            }
            if (entry instanceof JournalEntry.QueuedDownload q && q.key().equals(key) && Path.of(q.folder()).equals(into)) {
                return resumeEntry(q);
            }
        }
        TransferRun run = downloadRun(newId(), key, into, ifExists);
        // Journaled before it waits for a slot: a download still queued when the app closes is there at the next start.
        String route = direct != null ? settings.direct().journalName() : context.api().api().toString();
        run.journalWhileQueued(new JournalEntry.QueuedDownload(JournalEntry.VERSION, run.id(), route, run.name(), key,
                into.toString(), ifExists, Instant.now(context.clock()), null));
        return begin(run);
    }

    private TransferRun downloadRun(String id, String key, Path into, IfExists ifExists) {
        return direct != null ? new DirectDownload(context, direct, id, key, into, ifExists) : new Download(context, id, key, into, ifExists);
    }

    // Uploading a file that has an unfinished upload (same file, same folder) continues that one.
    private Transfer uploadOrResume(Path file, String folder) {
        for (JournalEntry entry : journalEntries()) {
            if (entry instanceof JournalEntry.Upload u && Path.of(u.file()).equals(file) && u.folder().equals(folder)) {
                return resumeEntry(u);
            }
            if (entry instanceof JournalEntry.DirectUpload u && Path.of(u.file()).equals(file)
                    && u.key().equals(join(folder, file.getFileName().toString()))) {
                return resumeEntry(u);
            }
        }
        if (direct != null) {
            return beginDirectUpload(new DirectUpload(context, direct, newId(), file, folder, null));
        }
        return beginUpload(new Upload(context, newId(), file, folder, null));
    }

    private Transfer beginUpload(Upload upload) {
        upload.plan();
        return begin(upload);
    }

    // Planned before it is queued, like the other route's uploads: a missing file fails at once.
    private Transfer beginDirectUpload(DirectUpload upload) {
        upload.plan();
        return begin(upload);
    }

    private Transfer resumeEntry(JournalEntry entry) {
        Transfer live = transfers.get(entry.id());
        if (live == null) {
            return resume(entry);
        }
        live.resume();
        return live;
    }

    /** Transfers the journal holds from earlier runs (of this or another process) that this engine can resume. */
    public List<UnfinishedTransfer> unfinished() {
        return journalEntries().stream().map(entry -> {
            Transfer live = transfers.get(entry.id());
            return describe(entry, live != null ? live.progress().bytesDone() : bytesDoneOf(entry));
        }).toList();
    }

    /** Every transfer the journal in {@code journalDir} holds, whichever its connection: no engine needed. */
    public static List<UnfinishedTransfer> unfinishedIn(Path journalDir) {
        return entriesIn(new Journal(journalDir)).stream().map(entry -> describe(entry, bytesDoneOf(entry))).toList();
    }

    private static UnfinishedTransfer describe(JournalEntry entry, long bytesDone) {
        return switch (entry) {
            case JournalEntry.Upload u -> new UnfinishedTransfer(u.id(), Direction.UPLOAD, u.name(), u.file(), u.key(), u.size(),
                    bytesDone, u.created(), u.reason(), u.api());
            case JournalEntry.Download d -> new UnfinishedTransfer(d.id(), Direction.DOWNLOAD, d.name(), d.target(), d.key(), d.size(),
                    bytesDone, d.created(), d.reason(), d.api());
            case JournalEntry.DirectUpload u -> new UnfinishedTransfer(u.id(), Direction.UPLOAD, u.name(), u.file(), u.key(), u.size(),
                    bytesDone, u.created(), u.reason(), u.api());
            case JournalEntry.DirectDownload d -> new UnfinishedTransfer(d.id(), Direction.DOWNLOAD, d.name(), d.target(), d.key(),
                    d.size(), bytesDone, d.created(), d.reason(), d.api());
            case JournalEntry.QueuedDownload q -> new UnfinishedTransfer(q.id(), Direction.DOWNLOAD, q.name(),
                    Path.of(q.folder()).resolve(Placement.safeName(q.name())).toString(), q.key(), 0, 0, q.created(), q.reason(), q.api());
        };
    }

    /** Resumes one unfinished transfer by id (or a unique id prefix). */
    public Transfer resume(String id) {
        Transfer live = transfers.get(id);
        if (live != null) {
            live.resume();
            return live;
        }
        List<JournalEntry> matches = journalEntries().stream().filter(e -> e.id().startsWith(id)).toList();
        if (matches.size() != 1) {
            throw new TransferException(TransferException.Reason.NOT_FOUND, matches.isEmpty()
                    ? "No unfinished transfer has the id " + id + "; see `skylift transfers`."
                    : "The id " + id + " matches " + matches.size() + " transfers; give more of it.", false);
        }
        return resume(matches.getFirst());
    }

    /** Resumes every unfinished transfer in the journal. */
    public List<Transfer> resumeAll() {
        List<Transfer> resumed = new ArrayList<>();
        for (JournalEntry entry : journalEntries()) {
            Transfer live = transfers.get(entry.id());
            if (live == null) {
                resumed.add(resume(entry));
            } else if (live.state() == TransferState.PAUSED) {
                live.resume();
                resumed.add(live);
            }
        }
        return resumed;
    }

    private Transfer resume(JournalEntry entry) {
        return begin(runFor(entry));
    }

    private TransferRun runFor(JournalEntry entry) {
        return switch (entry) {
            case JournalEntry.Upload u -> new Upload(context, u);
            case JournalEntry.Download d -> new Download(context, d);
            case JournalEntry.DirectUpload u -> new DirectUpload(context, direct, u);
            case JournalEntry.DirectDownload d -> new DirectDownload(context, direct, d);
            case JournalEntry.QueuedDownload q -> downloadRun(q.id(), q.key(), Path.of(q.folder()), q.ifExists());
        };
    }

    /**
     * Handles on the transfers the journal holds from earlier runs, paused: nothing moves until
     * {@link Transfer#resume()} (a window shows them with "Resume all").
     */
    public List<Transfer> restoreUnfinished() {
        List<Transfer> restored = new ArrayList<>();
        for (JournalEntry entry : journalEntries()) {
            Transfer live = transfers.get(entry.id());
            if (live != null) {
                restored.add(live);
                continue;
            }
            TransferRun run = runFor(entry);
            run.restored(bytesDoneOf(entry), entry.reason());
            Transfer transfer = new Transfer(run, this::launch);
            transfers.put(run.id(), transfer);
            publisher.watch(transfer);
            restored.add(transfer);
        }
        return restored;
    }

    /**
     * Changes how hard the engine pushes, while transfers run.
     *
     * @param concurrency    connections carrying file bytes (1..64)
     * @param partSize       for uploads started from now on; 0 for the service's plan
     * @param bytesPerSecond shared limit for all transfers; 0 for none
     */
    public void tune(int concurrency, long partSize, long bytesPerSecond) {
        context.scheduler().resize(concurrency);
        context.requestedPartSize().set(partSize);
        context.throttle().limit(bytesPerSecond);
    }

    /** Pauses every running or queued transfer and waits until each has recorded where it is. */
    public void pauseAll() {
        List<Transfer> running = transfers.values().stream().filter(t -> !t.state().isTerminal() && t.state() != TransferState.PAUSED).toList();
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
        if (direct != null) {
            return directList(prefix, folders, cursor);
        }
        Wire.FilesPage page;
        try {
            page = context.api().files(prefix, folders, cursor);
        } catch (ApiCallException e) {
            throw e.toTransferException();
        }
        List<RemoteEntry> entries = new ArrayList<>();
        if (page.folders() != null) {
            page.folders().forEach(f -> entries.add(new RemoteEntry(f, true, 0, null, null)));
        }
        page.files().forEach(f -> entries.add(new RemoteEntry(f.key(), false, f.size(), f.etag(), f.lastModified())));
        return new RemotePage(page.prefix(), entries, page.nextCursor());
    }

    private RemotePage directList(String prefix, boolean folders, String cursor) {
        String under = prefix == null ? "" : prefix;
        var page = direct.await(() -> direct.s3().listObjectsV2(b -> {
            b.bucket(direct.bucket()).prefix(under).maxKeys(1000).continuationToken(cursor);
            if (folders) {
                b.delimiter("/");
            }
        }).get());
        List<RemoteEntry> entries = new ArrayList<>();
        page.commonPrefixes().forEach(p -> entries.add(new RemoteEntry(p.prefix(), true, 0, null, null)));
        page.contents().stream().filter(o -> !o.key().equals(under))
                .forEach(o -> entries.add(new RemoteEntry(o.key(), false, o.size(), o.eTag(), o.lastModified())));
        return new RemotePage(under, entries, Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null);
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

    /** A page of remote entries; {@code nextCursor} is null on the last page. */
    public record RemotePage(String prefix, List<RemoteEntry> entries, String nextCursor) {}

    /** Who is signed in: checks the API URL and token in one call. */
    public Account account() {
        if (direct != null) {
            direct.check();
            String who = settings.direct().profile() != null ? "AWS profile " + settings.direct().profile() : "AWS credentials";
            return new Account("aws", who, List.of("direct"), "", List.of(""));
        }
        try {
            Wire.Me me = context.api().me();
            return new Account(me.user().id(), me.user().name(), me.roles(), me.home(), me.readablePrefixes());
        } catch (ApiCallException e) {
            throw e.toTransferException();
        }
    }

    /** The signed-in person and where they may read. */
    public record Account(String id, String name, List<String> roles, String home, List<String> readablePrefixes) {}

    // ----- running flows -----

    private Transfer begin(TransferRun run) {
        Transfer transfer = new Transfer(run, this::launch);
        transfers.put(run.id(), transfer);
        publisher.watch(transfer);
        launch(transfer);
        return transfer;
    }

    private void launch(Transfer transfer) {
        TransferRun run = transfer.run();
        run.prepareRun();
        changeState(transfer, TransferState.QUEUED, null);
        flows.submit(() -> {
            try {
                // Queued transfers wait for a slot, but a pause or cancel takes effect at once.
                while (!activeSlots.tryAcquire(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    if (run.stopRequest() != null) {
                        stopWhileQueued(transfer);
                        return;
                    }
                }
            } catch (InterruptedException e) {
                changeState(transfer, TransferState.PAUSED, null);
                transfer.finish(TransferState.PAUSED);
                return;
            }
            TransferState end;
            try {
                changeState(transfer, TransferState.RUNNING, null);
                end = run.runOnce();
            } catch (RuntimeException | Error bug) {
                end = TransferState.FAILED;
                run.state(TransferState.FAILED, "Unexpected error: " + bug);
            } finally {
                activeSlots.release();
            }
            changeState(transfer, end, end == TransferState.DONE || end == TransferState.CANCELLED ? null : run.reason());
            if (end.isTerminal()) {
                publisher.forget(transfer);
                transfers.remove(run.id(), transfer);
                if (end == TransferState.FAILED) {
                    transfers.putIfAbsent(run.id(), transfer);
                }
            }
            transfer.finish(end);
        });
    }

    // Nothing was sent in this run: a pause just stops waiting; a cancel still cleans up (runOnce does that).
    private void stopWhileQueued(Transfer transfer) {
        TransferRun run = transfer.run();
        TransferState end = run.stopRequest() == io.skylift.engine.internal.Stopped.Kind.CANCEL ? run.runOnce() : TransferState.PAUSED;
        changeState(transfer, end, null);
        if (end.isTerminal()) {
            publisher.forget(transfer);
            transfers.remove(run.id(), transfer);
        }
        transfer.finish(end);
    }

    private void changeState(Transfer transfer, TransferState state, String reason) {
        transfer.run().state(state, reason);
        Progress progress = publisher.snapshot(transfer);
        for (TransferListener listener : listeners) {
            listener.onStateChanged(progress);
        }
    }

    private void publishTick(Progress progress, boolean stateChanged) {
        for (TransferListener listener : listeners) {
            if (stateChanged) {
                listener.onStateChanged(progress);
            } else {
                listener.onProgress(progress);
            }
        }
    }

    // Each route sees only its own entries: a direct engine resumes only transfers with its bucket and server.
    private List<JournalEntry> journalEntries() {
        return entriesIn(context.journal()).stream().filter(this::ours).toList();
    }

    private static List<JournalEntry> entriesIn(Journal journal) {
        try {
            return journal.all();
        } catch (IOException e) {
            throw new TransferException(TransferException.Reason.LOCAL_IO, "Cannot read the transfer journal in "
                    + journal.dir() + ": " + e.getMessage(), false, e);
        }
    }

    private boolean ours(JournalEntry entry) {
        return switch (entry) {
            case JournalEntry.Upload u -> direct == null;
            case JournalEntry.Download d -> direct == null;
            case JournalEntry.DirectUpload u -> direct != null && u.api().equals(settings.direct().journalName());
            case JournalEntry.DirectDownload d -> direct != null && d.api().equals(settings.direct().journalName());
            case JournalEntry.QueuedDownload q -> direct != null ? q.api().equals(settings.direct().journalName()) : !q.api().startsWith("s3://");
        };
    }

    private static long bytesDoneOf(JournalEntry entry) {
        return switch (entry) {
            case JournalEntry.Upload u -> sentBytes(u);
            case JournalEntry.Download d -> Math.min(d.size(), d.doneRanges().size() * d.rangeSize());
            case JournalEntry.DirectUpload u -> DirectUpload.bytesDone(u);
            case JournalEntry.DirectDownload d -> DirectDownload.bytesDone(d);
            case JournalEntry.QueuedDownload q -> 0;
        };
    }

    private static long sentBytes(JournalEntry.Upload u) {
        long bytes = 0;
        for (int part : u.sentParts().keySet()) {
            bytes += part < u.partCount() ? u.partSize() : u.size() - u.partSize() * (u.partCount() - 1L);
        }
        return bytes;
    }

    private static String join(String folder, String name) {
        return folder.isEmpty() ? name : folder + "/" + name;
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    @Override
    public void close() {
        pauseAll();
        publisher.close();
        flows.shutdownNow();
        context.scheduler().close();
        context.http().dispatcher().executorService().shutdown();
        context.http().connectionPool().evictAll();
        if (direct != null) {
            direct.close();
        }
    }
}
