package io.skylift.engine.internal.upload;

import io.skylift.engine.Direction;
import io.skylift.engine.TransferException;
import io.skylift.engine.TransferException.Reason;
import io.skylift.engine.internal.EngineContext;
import io.skylift.engine.internal.TransferRun;
import io.skylift.engine.internal.api.ApiCallException;
import io.skylift.engine.internal.api.Wire;
import io.skylift.engine.internal.checksum.Crc32c;
import io.skylift.engine.internal.http.FileRegionBody;
import io.skylift.engine.internal.http.S3Answer;
import io.skylift.engine.internal.journal.JournalEntry;
import io.skylift.engine.internal.local.LocalFile;
import io.skylift.engine.internal.retry.PartFailure;
import io.skylift.engine.internal.retry.RetryPolicy;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One file's upload: plan → create or resume → send what is missing → complete → verify.
 *
 * <p>Parts go through presigned URLs signed just in time ({@link UrlBook}); each carries its CRC32C,
 * which S3 checks. The journal records every part S3 confirmed, with its checksum, and S3's own
 * listing is reconciled with it on resume. The file is checked for changes on resume and before
 * completing: a changed file is refused and its unfinished upload cancelled, never completed as a mix.
 */
public final class Upload extends TransferRun {

    // Files below this go as a single PUT (the server plans a part of at least 16 MiB), so their
    // checksum is computed up front and signed into that PUT.
    private static final long DEFAULT_SINGLE_LIMIT = 16L * 1024 * 1024;

    private final Path file;
    private final String folder;
    private final String fileName;
    private final Map<Integer, String> checksums = new ConcurrentHashMap<>();
    private final Map<Integer, String> sent = new ConcurrentHashMap<>();
    private final NavigableSet<Integer> pending = new ConcurrentSkipListSet<>();
    private final Map<Integer, Integer> attempts = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> resigns = new ConcurrentHashMap<>();
    private final Object journalLock = new Object();
    private volatile JournalEntry.Upload entry;
    private volatile LocalFile local;
    private volatile String wholeCrc;
    private volatile String key;
    private UrlBook urls;

    /**
     * A new upload of {@code file} into {@code folder} (null or empty for the top level), stored as
     * {@code remoteName} (null for the file's own name).
     */
    public Upload(EngineContext context, String id, Path file, String folder, String remoteName) {
        super(context, id, Direction.UPLOAD, remoteName != null ? remoteName : file.getFileName().toString(), sizeOrZero(file));
        this.file = file.toAbsolutePath();
        this.folder = folder == null ? "" : folder;
        this.fileName = remoteName != null ? remoteName : file.getFileName().toString();
    }

    /** An upload found in the journal. */
    public Upload(EngineContext context, JournalEntry.Upload entry) {
        super(context, entry.id(), Direction.UPLOAD, entry.name(), entry.size());
        this.file = Path.of(entry.file());
        this.folder = entry.folder();
        this.fileName = entry.name();
        this.entry = entry;
        this.key = entry.key();
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

    /**
     * Records the upload in the journal before it starts, so a queued upload survives a restart too.
     * Only the file's size and time: its content is read when the upload really starts.
     */
    public void plan() {
        JournalEntry.Upload planned;
        try {
            planned = new JournalEntry.Upload(JournalEntry.VERSION, id(), context.api().api().toString(), fileName, file.toString(),
                    folder, null, null, Files.size(file), Files.getLastModifiedTime(file).toMillis(), null, 0, 0, Map.of(),
                    Instant.now(context.clock()), null);
        } catch (IOException e) {
            // Reported when the upload starts, with the words for the case.
            return;
        }
        writeJournal(planned);
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

    /** True once storage knows this upload (a planned one is only in the journal). */
    private boolean created() {
        return entry != null && entry.uploadId() != null;
    }

    private void flow() {
        checkpoint();
        inspectLocalFile();
        if (!created()) {
            if (createUpload()) {
                forgetEntry();
                return;
            }
        }
        if (!reconcile()) {
            // The upload vanished from storage (cancelled elsewhere or expired): start over.
            forgetEntry();
            if (createUpload()) {
                forgetEntry();
                return;
            }
            reconcile();
        }
        sendMissingParts();
        completeAndVerify();
    }

    // ----- plan -----

    private void inspectLocalFile() {
        try {
            if (!created()) {
                if (!Files.isRegularFile(file)) {
                    throw new NoSuchFileException(file.toString());
                }
                local = LocalFile.inspect(file);
            } else {
                local = new LocalFile(file, entry.size(), entry.modifiedMillis(), entry.fingerprint());
                if (!local.unchanged()) {
                    abandon();
                    throw new TransferException(Reason.FILE_CHANGED, fileName + " changed since its upload started, so the upload was"
                            + " cancelled rather than mixing old and new content. Upload the file again.", false);
                }
            }
        } catch (NoSuchFileException e) {
            if (created()) {
                abandon();
            }
            throw new TransferException(Reason.LOCAL_IO, "Cannot upload " + file + ": the file does not exist (any more).", false, e);
        } catch (AccessDeniedException e) {
            throw new TransferException(Reason.LOCAL_IO, "Cannot read " + file + ": permission denied. Check the file's permissions.", false, e);
        } catch (IOException e) {
            throw new TransferException(Reason.LOCAL_IO, "Cannot read " + file + ": " + e.getMessage(), false, e);
        }
        describe(fileName, local.size());
    }

    /** Creates the remote upload; returns true when the file went as a single PUT and is done. */
    private boolean createUpload() {
        long singleLimit = context.partSize() > 0 ? context.partSize() : DEFAULT_SINGLE_LIMIT;
        String crc = local.size() < singleLimit ? checksum(0, local.size()) : null;
        Wire.CreatedUpload created = api(() -> context.api().createUpload(new Wire.CreateUpload(fileName, folder, local.size(),
                null, "CRC32C", crc, context.partSize() > 0 ? context.partSize() : null)));
        key = created.key();
        if (created.single() != null) {
            sendSingle(created, crc);
            return true;
        }
        entry = new JournalEntry.Upload(JournalEntry.VERSION, id(), context.api().api().toString(), fileName, file.toString(),
                folder, created.key(), created.id(), local.size(), local.modifiedMillis(), local.fingerprint(), created.partSize(),
                created.partCount(), Map.of(), Instant.now(context.clock()), null);
        writeJournal(entry);
        return false;
    }

    // ----- resume -----

    /** Learns from storage which parts it holds; false when the upload no longer exists there. */
    private boolean reconcile() {
        List<Wire.StoredPart> stored;
        try {
            stored = context.api().storedParts(entry.uploadId());
        } catch (ApiCallException e) {
            if (e.code().equals("UPLOAD_NOT_FOUND")) {
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

    // ----- send -----

    private void sendMissingParts() {
        // Each run starts with its full allowance of retries and new URLs (a resume after a pause too).
        attempts.clear();
        resigns.clear();
        pending.clear();
        for (int n = 1; n <= entry.partCount(); n++) {
            if (!sent.containsKey(n)) {
                pending.add(n);
            }
        }
        // Checksum and sign a little ahead of the workers, never the whole file: bounded work and
        // URLs that are fresh when used.
        int window = Math.min(100, 2 * context.scheduler().workers());
        urls = new UrlBook(context.api(), entry.uploadId(), this::checksum, () -> pending.stream().limit(window).toList(),
                window, context.clock());
        expectParts(pending.size());
        for (int n : pending) {
            submit(new PartJob(n));
        }
        awaitParts();
    }

    private final class PartJob implements Runnable {
        private final int part;

        PartJob(int part) {
            this.part = part;
        }

        @Override
        public void run() {
            if (stopping()) {
                return;
            }
            Wire.SignedUrl url;
            try {
                url = urls.urlFor(part);
            } catch (ApiCallException e) {
                fail(e.toTransferException());
                return;
            } catch (TransferException e) {
                fail(e);
                return;
            } catch (IOException e) {
                fail(localReadFailure(e));
                return;
            }
            long position = (part - 1L) * entry.partSize();
            var body = new FileRegionBody(file, position, partLength(part), null, Upload.this::moved, context.throttle());
            Request.Builder request = new Request.Builder().url(url.url()).put(body).header("Expect", "100-continue");
            url.headers().forEach((name, value) -> {
                if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Host")) {
                    request.header(name, value);
                }
            });
            PartFailure failure;
            Call call = context.http().newCall(request.build());
            track(call);
            try (Response response = call.execute()) {
                if (response.isSuccessful()) {
                    partSent();
                    return;
                }
                failure = S3Answer.failure(response.code(), response.body().source().readByteArray(
                        Math.min(S3Answer.MAX_ERROR_BYTES, Math.max(0, response.body().contentLength() < 0
                                ? S3Answer.MAX_ERROR_BYTES : response.body().contentLength()))));
            } catch (EOFException e) {
                fail(changedDuringUpload());
                return;
            } catch (IOException e) {
                failure = PartFailure.network(e);
            } finally {
                untrack(call);
            }
            moved(-body.writtenThisAttempt());
            if (stopping()) {
                return;
            }
            if (failure.isNetwork() && !stillUnchanged()) {
                // The body is read from the file: a vanished or rewritten file looks like a broken request.
                fail(changedDuringUpload());
                return;
            }
            retry(failure);
        }

        private void partSent() {
            String crc = checksums.get(part);
            sent.put(part, crc);
            pending.remove(part);
            urls.forget(part);
            synchronized (journalLock) {
                if (entry == null) {
                    return; // abandoned meanwhile (cancelled, or the file changed): nothing to record
                }
                JournalEntry.Upload next = entry.withSentParts(Map.copyOf(sent));
                entry = next;
                try {
                    writeJournal(next);
                } catch (TransferException e) {
                    fail(e);
                    return;
                }
            }
            partDone();
        }

        private void retry(PartFailure failure) {
            int attempt = attempts.merge(part, 1, Integer::sum);
            RetryPolicy.Decision decision = context.retry().decide(failure, attempt, resigns.getOrDefault(part, 0));
            switch (decision) {
                case RetryPolicy.Retry r -> submitAfter(this, r.delay());
                case RetryPolicy.Resign r -> {
                    attempts.merge(part, -1, Integer::sum);
                    resigns.merge(part, 1, Integer::sum);
                    urls.invalidate(part);
                    submit(this);
                }
                case RetryPolicy.Verify v -> {
                    if (!stillUnchanged()) {
                        fail(changedDuringUpload());
                    } else if (context.retry().afterVerified(attempt) instanceof RetryPolicy.Retry r) {
                        checksums.remove(part);
                        urls.invalidate(part);
                        submitAfter(this, r.delay());
                    } else {
                        fail(new TransferException(Reason.VERIFICATION, "Storage keeps refusing part " + part + " of " + fileName
                                + " as corrupted; check the disk, then resume.", true));
                    }
                }
                case RetryPolicy.GiveUp g -> fail(new TransferException(g.resumable() ? Reason.UNAVAILABLE : Reason.INTERNAL,
                        "Upload of " + fileName + " stopped: " + g.why() + (g.resumable() ? ". It can be resumed." : "."), g.resumable()));
            }
        }
    }

    // ----- complete -----

    private void completeAndVerify() {
        checkpoint();
        if (!stillUnchanged()) {
            abandon();
            throw changedDuringUpload();
        }
        List<Wire.PartRef> parts = new ArrayList<>(entry.partCount());
        int whole = 0;
        for (int n = 1; n <= entry.partCount(); n++) {
            String crc = checksum(n);
            parts.add(new Wire.PartRef(n, crc));
            whole = n == 1 ? Crc32c.fromBase64(crc) : Crc32c.combine(whole, Crc32c.fromBase64(crc), partLength(n));
        }
        wholeCrc = Crc32c.toBase64(whole);
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
            throw e.toTransferException();
        }
        verify(completed.size(), completed.crc32c());
        forgetEntry();
    }

    private void verify(long storedSize, String storedCrc) {
        if (storedSize != local.size() || (storedCrc != null && !storedCrc.equals(wholeCrc))) {
            throw new TransferException(Reason.VERIFICATION, "Storage holds " + storedSize + " bytes (checksum " + storedCrc + ") for "
                    + fileName + ", not the " + local.size() + " bytes (checksum " + wholeCrc + ") that were sent.", false);
        }
    }

    // ----- single PUT -----

    private void sendSingle(Wire.CreatedUpload created, String crc) {
        wholeCrc = crc;
        Wire.CreatedUpload current = created;
        int resigned = 0;
        for (int attempt = 1; ; attempt++) {
            checkpoint();
            Wire.SignedUrl url = current.single();
            String type = url.headers().getOrDefault("Content-Type", "application/octet-stream");
            var body = new FileRegionBody(file, 0, local.size(), MediaType.get(type), this::moved, context.throttle());
            Request.Builder request = new Request.Builder().url(url.url()).put(body);
            url.headers().forEach((name, value) -> {
                if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Content-Type")) {
                    request.header(name, value);
                }
            });
            PartFailure failure;
            Call call = context.http().newCall(request.build());
            track(call);
            try (Response response = call.execute()) {
                if (response.isSuccessful()) {
                    break;
                }
                failure = S3Answer.failure(response.code(), response.body().source().readByteArray(
                        Math.min(S3Answer.MAX_ERROR_BYTES, Math.max(0, response.body().contentLength()))));
            } catch (EOFException e) {
                throw changedDuringUpload();
            } catch (IOException e) {
                checkpoint();
                failure = PartFailure.network(e);
            } finally {
                untrack(call);
            }
            moved(-body.writtenThisAttempt());
            RetryPolicy.Decision decision = context.retry().decide(failure, attempt, resigned);
            switch (decision) {
                case RetryPolicy.Retry r -> sleep(r.delay());
                // A single PUT's URL comes from create: an expired one needs a new create.
                case RetryPolicy.Resign r -> {
                    resigned++;
                    current = api(() -> context.api().createUpload(new Wire.CreateUpload(fileName, folder,
                            local.size(), null, "CRC32C", crc, context.partSize() > 0 ? context.partSize() : null)));
                }
                case RetryPolicy.Verify v -> throw changedDuringUpload();
                case RetryPolicy.GiveUp g -> throw new TransferException(g.resumable() ? Reason.UNAVAILABLE : Reason.INTERNAL,
                        "Upload of " + fileName + " stopped: " + g.why() + ".", g.resumable());
            }
        }
        verifying();
        String singleId = current.id();
        Wire.Completed completed = api(() -> context.api().complete(singleId, new Wire.Complete(crc, null)));
        verify(completed.size(), completed.crc32c());
    }

    // ----- stop -----

    @Override
    protected void paused(String why) {
        JournalEntry.Upload current = entry;
        if (current != null) {
            writeJournal(current.withReason(why));
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

    // Under the journal's lock: a part finishing now must not write the entry back after it is gone.
    private void forgetEntry() {
        synchronized (journalLock) {
            deleteJournal();
            entry = null;
        }
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
        String crc = checksum((part - 1L) * entry.partSize(), partLength(part));
        checksums.put(part, crc);
        return crc;
    }

    private String checksum(long position, long length) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return Crc32c.toBase64(Crc32c.of(channel, position, length, ByteBuffer.allocate(64 * 1024)));
        } catch (EOFException e) {
            throw changedDuringUpload();
        } catch (IOException e) {
            throw localReadFailure(e);
        }
    }

    private boolean stillUnchanged() {
        try {
            return local.looksUnchanged();
        } catch (IOException e) {
            return false;
        }
    }

    private TransferException changedDuringUpload() {
        if (!Files.exists(file)) {
            return new TransferException(Reason.FILE_CHANGED, fileName + " was deleted or moved during the upload; the"
                    + " unfinished upload was cancelled.", false);
        }
        return new TransferException(Reason.FILE_CHANGED, fileName + " changed while it was being uploaded; nothing was"
                + " completed from the mix. Upload the file again once it is saved.", false);
    }

    private TransferException localReadFailure(IOException e) {
        if (!Files.exists(file)) {
            return new TransferException(Reason.FILE_CHANGED, fileName + " was deleted or moved during the upload.", false, e);
        }
        return new TransferException(Reason.LOCAL_IO, "Cannot read " + file + ": " + e.getMessage(), true, e);
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.skylift.engine.internal.Stopped(io.skylift.engine.internal.Stopped.Kind.PAUSE);
        }
    }

    private static <T> T api(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (ApiCallException e) {
            throw e.toTransferException();
        }
    }
}
