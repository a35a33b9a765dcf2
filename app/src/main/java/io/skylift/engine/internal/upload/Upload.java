package io.skylift.engine.internal.upload;

import io.skylift.engine.Direction;
import io.skylift.engine.IfExists;
import io.skylift.engine.NumberedName;
import io.skylift.engine.TransferException;
import io.skylift.engine.TransferException.Reason;
import io.skylift.engine.TransferResult;
import io.skylift.engine.internal.EngineContext;
import io.skylift.engine.internal.TransferRun;
import io.skylift.engine.internal.api.ApiCallException;
import io.skylift.engine.internal.api.CreateBatcher;
import io.skylift.engine.internal.api.Wire;
import io.skylift.engine.internal.checksum.Crc32c;
import io.skylift.engine.internal.journal.JournalEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import okhttp3.Call;

/**
 * One file's upload: plan → create or resume → send what is missing → complete → verify.
 *
 * <p>Parts go through presigned URLs signed just in time ({@link UrlBook}); each carries its CRC32C,
 * which S3 checks. The journal records every part S3 confirmed, with its checksum, and S3's own
 * listing is reconciled with it on resume. The file is checked for changes on resume and before
 * completing: a changed file is refused and its unfinished upload cancelled, never completed as a mix.
 */
public final class Upload extends TransferRun {

    /** Kept copies tried for one file before giving up ("name (1).ext" … "name (99).ext"). */
    static final int MAX_COPIES = 99;

    private final Path file;
    private final String folder;
    private final String localName;
    private volatile String fileName;
    private final IfExists ifExists;
    private final SourceFile source;
    private final Map<Integer, String> checksums = new ConcurrentHashMap<>();
    private final Map<Integer, String> sent = new ConcurrentHashMap<>();
    private final NavigableSet<Integer> pending = new ConcurrentSkipListSet<>();
    private volatile JournalEntry.Upload entry;
    private volatile String wholeCrc;
    private volatile String verifiedBy;
    private volatile String skipped;
    private volatile String key;
    private volatile Integer maxSignBatch; // as the create of this process answered; null after a restart
    private volatile UrlBook urls;
    private final UploadLane lane = new UploadLane() {
        @Override
        public EngineContext context() {
            return context;
        }

        @Override
        public SourceFile source() {
            return source;
        }

        @Override
        public String fileName() {
            return fileName;
        }

        @Override
        public void submit(Runnable job) {
            Upload.this.submit(job);
        }

        @Override
        public void submitAfter(Runnable job, Duration delay) {
            Upload.this.submitAfter(job, delay);
        }

        @Override
        public Requeue requeue(Runnable job) {
            return Upload.this.requeue(job);
        }

        @Override
        public void partSent(int part) {
            Upload.this.partSent(part);
        }

        @Override
        public void checksumRefused(int part) {
            checksums.remove(part);
            urls.invalidate(part);
        }

        @Override
        public void partDone() {
            Upload.this.partDone();
        }

        @Override
        public void fail(TransferException e) {
            Upload.this.fail(e);
        }

        @Override
        public boolean stopping() {
            return Upload.this.stopping();
        }

        @Override
        public void moved(long bytes) {
            Upload.this.moved(bytes);
        }

        @Override
        public void track(Call call) {
            Upload.this.track(call);
        }

        @Override
        public void untrack(Call call) {
            Upload.this.untrack(call);
        }
    };

    /**
     * A new upload of {@code file} into {@code folder} (null or empty for the top level), stored as
     * {@code remoteName} (null for the file's own name). When another file holds the name, {@code ifExists}
     * says what happens (FAIL, SKIP or RENAME); a file stored with the same bytes is always done.
     */
    public Upload(EngineContext context, String id, Path file, String folder, String remoteName, IfExists ifExists) {
        super(context, id, Direction.UPLOAD, remoteName != null ? remoteName : file.getFileName().toString(), sizeOrZero(file));
        if (ifExists == IfExists.OVERWRITE) {
            throw new IllegalArgumentException("An upload never replaces a stored file");
        }
        this.file = file.toAbsolutePath();
        this.folder = folder == null ? "" : folder;
        this.fileName = remoteName != null ? remoteName : file.getFileName().toString();
        this.localName = fileName;
        this.ifExists = ifExists;
        this.source = new SourceFile(this.file, fileName);
    }

    /** An upload found in the journal. */
    public Upload(EngineContext context, JournalEntry.Upload entry) {
        super(context, entry.id(), Direction.UPLOAD, entry.remoteName() != null ? entry.remoteName() : entry.name(), entry.size());
        this.file = Path.of(entry.file());
        this.folder = entry.folder();
        this.fileName = entry.remoteName() != null ? entry.remoteName() : entry.name();
        this.localName = entry.name();
        this.ifExists = entry.ifExists() != null ? entry.ifExists() : IfExists.FAIL;
        this.entry = entry;
        this.key = entry.key();
        this.source = new SourceFile(file, fileName);
    }

    private static long sizeOrZero(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public String file() {
        return file.toString();
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public String crc32c() {
        return wholeCrc;
    }

    @Override
    public String skipped() {
        return skipped;
    }

    // A numbered copy is journaled under the name asked for, so the same upload asked again finds it.
    private String remoteNameIfOther() {
        return fileName.equals(localName) ? null : fileName;
    }

    // Known before it runs (a download learns its size only then); below one part of the default plan.
    @Override
    public boolean small() {
        return size() < io.skylift.engine.internal.FlowQueue.SMALL_BYTES;
    }

    /**
     * Records the upload in the journal before it starts, so a queued upload survives a restart too.
     * Only the file's size and time: its content is read when the upload really starts.
     */
    public void plan() {
        JournalEntry.Upload planned = plannedEntry(Instant.now(context.clock()));
        if (planned != null) {
            writeJournal(planned);
            entry = planned;
        }
    }

    /**
     * The entry {@link #plan()} writes, made at {@code at}, for a caller that journals many in one write
     * and then tells each upload with {@link #planned}; null when the file cannot be read (reported,
     * with the words for the case, when the upload starts).
     */
    public JournalEntry.Upload plannedEntry(Instant at) {
        try {
            return new JournalEntry.Upload(JournalEntry.VERSION, id(), context.api().api().toString(), localName, file.toString(),
                    folder, null, null, Files.size(file), Files.getLastModifiedTime(file).toMillis(), null, 0, 0, Map.of(), at, null,
                    ifExists, remoteNameIfOther());
        } catch (IOException e) {
            return null;
        }
    }

    /** The journal holds {@code planned}, this upload's {@link #plannedEntry}. */
    public void planned(JournalEntry.Upload planned) {
        entry = planned;
    }

    @Override
    protected void execute() {
        try {
            flow();
        } catch (TransferException e) {
            if (e.reason() == Reason.FILE_CHANGED) {
                // A changed file can never complete this upload: free its parts rather than keep them.
                abandon();
            } else if (!e.isRetryable() && !created()) {
                // Refused before anything was stored (name taken, not allowed, file missing): nothing to resume.
                forgetEntry();
            }
            throw e;
        }
    }

    private boolean startedOver;

    /** True once storage knows this upload (a planned one is only in the journal). */
    private boolean created() {
        return entry != null && entry.uploadId() != null;
    }

    private void flow() {
        startedOver = false;
        checkpoint();
        inspectLocalFile();
        if (!created()) {
            if (createUpload()) {
                forgetEntry();
                return;
            }
        }
        if (!reconcile()) {
            if (completedEarlier()) {
                forgetEntry();
                return;
            }
            // The upload vanished from storage (cancelled elsewhere or expired): start over.
            if (startOver()) {
                forgetEntry();
                return;
            }
            reconcile();
        }
        sendMissingParts();
        try {
            completeAndVerify();
        } catch (StartOver raced) {
            // Once per run: a second race in a row pauses the upload, to be resumed later.
            JournalEntry.Upload old = entry;
            try {
                if (!startOver()) {
                    reconcile();
                    sendMissingParts();
                    completeAndVerify();
                }
                forgetEntry();
            } catch (TransferException e) {
                if (e.reason() != Reason.EXISTS) {
                    throw e;
                }
                // The complete that raced may have been this upload's own, landing after all: the old id answers for it.
                entry = old;
                boolean ours = completedEarlier();
                forgetEntry();
                if (!ours) {
                    throw e;
                }
            } finally {
                try {
                    context.api().abort(old.uploadId());
                } catch (ApiCallException e) {
                    // Storage's lifecycle rule removes unfinished uploads after a few days anyway.
                }
            }
        }
    }

    /**
     * Creates the upload anew, the transfer staying in the journal meanwhile (as planned, so a failed
     * create leaves it resumable); true when it went as a single PUT and is done. What was known of
     * the old upload's parts goes: the new one's may be cut differently.
     */
    private boolean startOver() {
        forgetEntry();
        checksums.clear();
        plan();
        return createUpload();
    }

    /** Storage refused the complete for a race ({@code UPLOAD_CONFLICT}): the upload must begin again. */
    private static final class StartOver extends RuntimeException {
        private final String uploadId;

        StartOver(String uploadId, ApiCallException cause) {
            super(cause.getMessage(), cause, false, false);
            this.uploadId = uploadId;
        }

        String uploadId() {
            return uploadId;
        }
    }

    // ----- plan -----

    private void inspectLocalFile() {
        try {
            source.inspect(created() ? entry : null, singleLimit());
        } catch (TransferException e) {
            if (created() && e.getCause() instanceof NoSuchFileException) {
                abandon(); // the file is gone for good, and so is the upload of it
            }
            throw e;
        }
        describe(fileName, source.local().size());
    }

    /**
     * Creates the remote upload; returns true when nothing more is to be done: the file went as a
     * single PUT, or storage already holds it, or another file holds its name and skipping was asked.
     */
    private boolean createUpload() {
        var local = source.local();
        // Files below one part go as a single PUT, so their checksum is computed up front and signed
        // into that PUT.
        String crc = local.size() < singleLimit() ? source.checksum(0, local.size()) : null;
        for (int copy = 1; ; copy++) {
            Wire.CreateUpload request = createRequest(crc);
            CreateBatcher.Outcome outcome = api(() -> context.creates().create(request));
            if (outcome instanceof CreateBatcher.Taken taken) {
                if (settleTaken(taken.stored(), crc, copy)) {
                    return true;
                }
                continue; // a kept copy under the next free name
            }
            Wire.CreatedUpload created = ((CreateBatcher.Created) outcome).upload();
            key = created.key();
            maxSignBatch = created.maxSignBatch();
            if (created.single() != null) {
                try {
                    sendSingle(created, crc);
                    return true;
                } catch (TakenMeanwhile meanwhile) {
                    // Another file took the name between the create and the PUT (another source of the
                    // same name in this very run, say): as if the create had found it taken.
                    if (settleTaken(null, crc, copy)) {
                        return true;
                    }
                    continue;
                }
            }
            entry = new JournalEntry.Upload(JournalEntry.VERSION, id(), context.api().api().toString(), localName, file.toString(),
                    folder, created.key(), created.id(), local.size(), local.modifiedMillis(), local.fingerprint(), created.partSize(),
                    created.partCount(), Map.of(), Instant.now(context.clock()), null, ifExists, remoteNameIfOther());
            writeJournal(entry);
            return false;
        }
    }

    /**
     * The name holds a file already: done when it is this very file (same size and CRC32C), else as
     * {@link #ifExists} says. {@code described} is what the answer said is stored, null when it did
     * not say. Returns false when the upload goes on under a new name.
     */
    private boolean settleTaken(Wire.StoredObject described, String singleCrc, int copy) {
        Wire.StoredObject stored = described != null ? described : lookUp();
        long size = source.local().size();
        if (stored != null && stored.size() == size && stored.crc32c() != null) {
            // A file's CRC32C is read whole only when storage holds one of the same size to compare.
            String crc = singleCrc != null ? singleCrc : wholeFileChecksum();
            if (stored.crc32c().equals(crc)) {
                key = stored.key();
                wholeCrc = crc;
                verifiedBy = TransferResult.BY_CRC32C;
                skipped = TransferResult.SKIPPED_IDENTICAL;
                return true;
            }
        }
        switch (ifExists) {
            case SKIP -> {
                key = stored == null ? null : stored.key();
                skipped = TransferResult.SKIPPED_EXISTS;
                return true;
            }
            case RENAME -> {
                if (copy > MAX_COPIES) {
                    throw new TransferException(Reason.EXISTS, "Every name from " + NumberedName.of(localName, 1) + " to "
                            + NumberedName.of(localName, MAX_COPIES) + " is taken in that folder; upload " + localName + " elsewhere.", false);
                }
                fileName = NumberedName.of(localName, copy);
                source.renamed(fileName);
                describe(fileName, size);
                return false;
            }
            default -> throw new TransferException(Reason.EXISTS, differs(stored, size), false);
        }
    }

    /**
     * What is stored under this upload's name, when the answer that found it taken did not say (the
     * single route's, or a PUT refused by its If-None-Match): the download grant names size and CRC32C,
     * and signs only a URL. Null when it cannot be learnt.
     */
    private Wire.StoredObject lookUp() {
        try {
            String key = java.text.Normalizer.normalize(context.api().home() + (folder.isEmpty() ? "" : folder + "/") + fileName,
                    java.text.Normalizer.Form.NFC);
            Wire.DownloadGrant grant = context.api().download(key);
            return new Wire.StoredObject(grant.key(), grant.size(), grant.etag(), grant.crc32c());
        } catch (ApiCallException e) {
            return null;
        }
    }

    /** A single PUT refused because the name holds another file now. */
    private static final class TakenMeanwhile extends RuntimeException {
        TakenMeanwhile(ApiCallException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private String differs(Wire.StoredObject stored, long size) {
        String what = stored == null ? "another file"
                : stored.size() != size ? "another file (" + stored.size() + " bytes, this one " + size + ")"
                : stored.crc32c() == null ? "a file of the same size that storage keeps no checksum of, so it cannot be compared"
                : "another file of the same size";
        return "A file named '" + fileName + "' is already stored there: " + what + "; it was not replaced.";
    }

    private String wholeFileChecksum() {
        return source.checksum(0, source.local().size());
    }

    // Without a part size of our own, the server plans parts of its default size.
    private long singleLimit() {
        return context.partSize() > 0 ? context.partSize() : api(() -> context.api().limits().defaultPartSize());
    }

    private Wire.CreateUpload createRequest(String crc) {
        return new Wire.CreateUpload(fileName, folder, source.local().size(), null, "CRC32C", crc,
                context.partSize() > 0 ? context.partSize() : null);
    }

    // ----- resume -----

    /** Learns from storage which parts it holds; false when the upload no longer exists there. */
    private boolean reconcile() {
        List<Wire.StoredPart> stored;
        try {
            stored = context.api().storedParts(entry.uploadId());
        } catch (ApiCallException e) {
            if (uploadGone(e)) {
                return false;
            }
            throw e.toTransferException();
        }
        sent.clear();
        resetProgress();
        Map<Integer, String> journaled = entry.sentParts();
        for (Wire.StoredPart part : stored) {
            int n = part.partNumber();
            if (n >= 1 && n <= entry.partCount() && part.size() == partLength(n)) {
                String crc = journaled.get(n) != null ? journaled.get(n) : part.crc32c();
                if (crc != null) {
                    checksums.put(n, crc);
                }
                sent.put(n, crc == null ? "" : crc);
                alreadyDone(part.size());
            }
        }
        return true;
    }

    /**
     * Whether a run before this one completed the upload and stopped before it could forget it
     * (killed just after the complete): then every part is journaled, and a complete of the gone
     * upload is answered by the backend's check of what is stored under its name.
     */
    private boolean completedEarlier() {
        if (entry.sentParts().size() < entry.partCount()) {
            return false;
        }
        // The journaled checksums, so a 200 GB file is not read again to learn them.
        checksums.clear();
        entry.sentParts().forEach((n, crc) -> {
            if (crc != null && !crc.isEmpty()) {
                checksums.putIfAbsent(n, crc);
            }
        });
        List<Wire.PartRef> parts = partRefs();
        Wire.Completed completed;
        try {
            completed = context.api().complete(entry.uploadId(), new Wire.Complete(wholeCrc, parts));
        } catch (ApiCallException e) {
            if (uploadGone(e)) {
                return false; // nothing stored: the upload was cancelled or expired
            }
            if (!e.isRetryable()) {
                forgetEntry(); // another file holds the name: nothing of this upload is left to resume
            }
            throw e.toTransferException();
        }
        verify(completed.size(), completed.crc32c());
        return true;
    }

    // ----- send -----

    private void sendMissingParts() {
        pending.clear();
        for (int n = 1; n <= entry.partCount(); n++) {
            if (!sent.containsKey(n)) {
                pending.add(n);
            }
        }
        // Checksum and sign a little ahead of the workers, never the whole file: bounded work and
        // URLs that are fresh when used. Ahead of the workers there are now: their number changes while
        // the upload runs, and a window sized at the start would sign one part a call once they outgrew it.
        int batchLimit = signBatchLimit();
        urls = new UrlBook(context.api().oneAttempt(), entry.uploadId(), this::checksum,
                () -> pending.stream().limit(Math.min(batchLimit, 2L * context.scheduler().workers())).toList(), batchLimit, context.clock());
        expectParts(pending.size());
        // New jobs each run: a resume after a pause starts with the full allowance of retries and new URLs.
        for (int n : pending) {
            submit(new PartJob(lane, n, (n - 1L) * entry.partSize(), partLength(n), urls));
        }
        awaitParts();
    }

    private int signBatchLimit() {
        Integer announced = maxSignBatch;
        return announced != null ? announced : api(() -> context.api().limits().maxSignBatch());
    }

    private void partSent(int part) {
        if (stale()) {
            return; // a part job of an earlier run: the run that resumed learns from storage what it holds
        }
        String crc = checksums.get(part);
        sent.put(part, crc);
        pending.remove(part);
        urls.forget(part);
        if (entry == null) {
            return; // abandoned meanwhile (cancelled, or the file changed): nothing to record
        }
        partFinished(part, crc);
    }

    // ----- single PUT -----

    /** A file smaller than one part: one PUT, run on the worker pool like a part. */
    private void sendSingle(Wire.CreatedUpload created, String crc) {
        wholeCrc = crc;
        SingleJob job = new SingleJob(lane, created, createRequest(crc));
        expectParts(1);
        submit(job);
        awaitParts();
        if (crc.equals(job.storedChecksum())) {
            // Storage's own answer to the PUT: it checked the bytes against the signed CRC32C and
            // stored them under If-None-Match, so a read-back would only repeat what it said.
            verifiedBy = TransferResult.BY_CRC32C;
            return;
        }
        // The answer was lost (412 on the retry: something is stored there now) or named no checksum:
        // the backend's look at what storage holds decides.
        verifying();
        String singleId = job.created().id();
        Wire.Completed completed;
        try {
            completed = context.api().complete(singleId, new Wire.Complete(crc, null));
        } catch (ApiCallException e) {
            if ("OBJECT_DIFFERS".equals(e.code())) {
                throw new TakenMeanwhile(e);
            }
            throw e.toTransferException();
        }
        verify(completed.size(), completed.crc32c());
    }

    // ----- complete -----

    private void completeAndVerify() {
        checkpoint();
        if (!source.stillUnchanged()) {
            abandon();
            throw source.changedDuringUpload();
        }
        List<Wire.PartRef> parts = partRefs();
        verifying();
        Wire.Completed completed;
        try {
            completed = context.api().complete(entry.uploadId(), new Wire.Complete(wholeCrc, parts));
        } catch (ApiCallException e) {
            if (e.status() == 422) {
                abandon();
                throw new TransferException(Reason.FILE_CHANGED, fileName + " does not match what was sent (checksum); it"
                        + " probably changed during the upload. The upload was cancelled; upload the file again.", false, e);
            }
            if (e.code().equals("OBJECT_EXISTS")) {
                forgetEntry();
            }
            if (e.startsOver() && !startedOver) {
                startedOver = true;
                throw new StartOver(entry.uploadId(), e);
            }
            throw e.toTransferException();
        }
        verify(completed.size(), completed.crc32c());
        forgetEntry();
    }

    // Gone from storage (cancelled, expired there), or its sealed id outlived its 30 days: start over.
    private static boolean uploadGone(ApiCallException e) {
        return e.code().equals("UPLOAD_NOT_FOUND") || e.code().equals("UPLOAD_ID_EXPIRED");
    }

    /** Every part's checksum, and from them the whole file's ({@link #wholeCrc}). */
    private List<Wire.PartRef> partRefs() {
        List<Wire.PartRef> parts = new ArrayList<>(entry.partCount());
        int whole = 0;
        for (int n = 1; n <= entry.partCount(); n++) {
            String crc = checksum(n);
            parts.add(new Wire.PartRef(n, crc));
            whole = n == 1 ? Crc32c.fromBase64(crc) : Crc32c.combine(whole, Crc32c.fromBase64(crc), partLength(n));
        }
        wholeCrc = Crc32c.toBase64(whole);
        return parts;
    }

    private void verify(long storedSize, String storedCrc) {
        long size = source.local().size();
        if (storedSize != size || (storedCrc != null && !storedCrc.equals(wholeCrc))) {
            throw new TransferException(Reason.VERIFICATION, "Storage holds " + storedSize + " bytes (checksum " + storedCrc + ") for "
                    + fileName + ", not the " + size + " bytes (checksum " + wholeCrc + ") that were sent.", false);
        }
        verifiedBy = storedCrc != null ? TransferResult.BY_CRC32C : TransferResult.BY_SIZE;
    }

    @Override
    public String verifiedBy() {
        return verifiedBy;
    }

    // ----- stop -----

    @Override
    protected void paused(String why) {
        if (entry != null) {
            // The parts were journaled one by one; the entry in memory learns them here, for a resume.
            entry = entry.withSentParts(Map.copyOf(sent));
            writeJournal(entry.withReason(why));
        }
    }

    @Override
    protected void cancelled() {
        abandon();
    }

    /** Cancels the remote upload and forgets it: nothing is left behind. */
    private void abandon() {
        JournalEntry.Upload current = entry;
        if (current == null) {
            return;
        }
        if (current.uploadId() != null) {
            try {
                context.api().abort(current.uploadId());
            } catch (ApiCallException e) {
                // Storage's lifecycle rule removes unfinished uploads after a few days anyway.
            }
        }
        forgetEntry();
    }

    // A part finishing now records nothing: it sees no entry, or the journal has none for it.
    private void forgetEntry() {
        entry = null;
        deleteJournal();
    }

    // ----- helpers -----

    private long partLength(int part) {
        return part < entry.partCount() ? entry.partSize() : entry.size() - entry.partSize() * (entry.partCount() - 1L);
    }

    private String checksum(int part) {
        String known = checksums.get(part);
        if (known != null && !known.isEmpty()) {
            return known;
        }
        String crc = source.checksum((part - 1L) * entry.partSize(), partLength(part));
        checksums.put(part, crc);
        return crc;
    }

    private static <T> T api(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (ApiCallException e) {
            throw e.toTransferException();
        }
    }
}
