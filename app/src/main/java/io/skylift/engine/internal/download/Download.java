package io.skylift.engine.internal.download;

import io.skylift.engine.IfExists;
import io.skylift.engine.TransferException;
import io.skylift.engine.TransferException.Reason;
import io.skylift.engine.TransferResult;
import io.skylift.engine.internal.EngineContext;
import io.skylift.engine.internal.api.ApiCallException;
import io.skylift.engine.internal.api.Wire;
import io.skylift.engine.internal.checksum.Crc32c;
import io.skylift.engine.internal.http.S3Answer;
import io.skylift.engine.internal.journal.JournalEntry;
import io.skylift.engine.internal.retry.PartFailure;
import io.skylift.engine.internal.retry.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;
import okhttp3.Call;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * One file's download: one presigned GET for all ranges, fetched in parallel with {@code Range} and
 * the signed {@code If-Match}, written into a temporary file beside the target. Every finished range
 * is flushed to disk and journaled with its CRC32C; the whole file is verified (size, and the
 * checksum where storage has one) before it is moved into place. An existing file is never
 * replaced silently.
 */
public final class Download extends DownloadRun {

    private static final long MIB = 1024L * 1024;
    private static final int BUFFER_BYTES = 64 * 1024;
    /**
     * What a range job gathers before one write: 256 KiB, a 32nd of the system calls of writing each
     * 8 KiB read. One per part worker (at most 64 workers, so at most 16 MiB), reused for every range it
     * fetches: direct buffers allocated per range would pile up until a collection frees them.
     */
    static final int WRITE_BYTES = 256 * 1024;
    private static final ThreadLocal<ByteBuffer> WRITE_BUFFER = ThreadLocal.withInitial(() -> PartialFile.alignedBuffer(WRITE_BYTES));

    private final Map<Integer, String> done = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> attempts = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> resigns = new ConcurrentHashMap<>();
    private volatile JournalEntry.Download entry;
    private final DownloadLink link;
    private volatile PartialFile partial;
    private volatile Path target;
    private volatile String wholeCrc;
    private volatile String verifiedBy;
    private volatile String encryption;
    private volatile String skipped;
    // False while only a folder's plan names this download: a file of one range is not journaled on
    // its own (see plan), so it costs no durable write; a crash then fetches it again, whole.
    private volatile boolean journaled = true;

    /**
     * A new download of {@code key} into {@code folder}.
     *
     * @param localName a downloaded folder's file: its local name, checked usable as it is, and an
     *                  identical local file counts as done; null for a download by key (named after the
     *                  download grant's name made safe, and an existing file follows {@code ifExists})
     */
    public Download(EngineContext context, String id, String key, Path folder, IfExists ifExists, String localName) {
        super(context, id, key, folder.toAbsolutePath(), ifExists, localName, key.substring(key.lastIndexOf('/') + 1), 0,
                context.api().api().toString(), false);
        this.link = new DownloadLink(context.api(), key, context.clock());
    }

    public Download(EngineContext context, JournalEntry.Download entry) {
        super(context, entry.id(), entry.key(), Path.of(entry.target()).getParent(), IfExists.FAIL, null, entry.name(), entry.size(),
                context.api().api().toString(), false);
        this.entry = entry;
        this.target = Path.of(entry.target());
        this.done.putAll(entry.doneRanges());
        this.link = new DownloadLink(context.api(), entry.key(), context.clock());
    }

    @Override
    public String file() {
        return (target == null ? folder.resolve(localNameBeforePlan()) : target).toString();
    }

    @Override
    public String skipped() {
        return skipped;
    }


    @Override
    public String crc32c() {
        return wholeCrc;
    }

    @Override
    protected void execute() {
        checkpoint();
        Wire.DownloadGrant grant;
        try {
            grant = link.renew(context.api());
        } catch (ApiCallException e) {
            throw e.toTransferException();
        }
        encryption = grant.serverSideEncryption();
        describe(grant.fileName(), grant.size());
        if (entry != null && !entry.etag().equals(grant.etag())) {
            // The file was replaced in storage since this download began: its ranges are of another version.
            discardPartial();
        }
        if (entry == null && identicalThere(grant)) {
            forgetEntry();
            return;
        }
        if (entry == null) {
            plan(grant);
        } else if (done.size() == rangeCount() && !Files.exists(Path.of(entry.temp())) && placedEarlier()) {
            // A run before this one moved the verified file into place and stopped before forgetting it.
            forgetEntry();
            return;
        } else if (!done.isEmpty() && !Files.exists(Path.of(entry.temp()))) {
            // The partial file went (removed by hand or by a cleaner): what it held is fetched again.
            done.clear();
            entry = entry.withDoneRanges(Map.of());
            // Deleted first: saving the same plan again would fold the logged ranges back in.
            deleteJournal();
            writeJournal(entry);
        }
        try (PartialFile opened = PartialFile.open(Path.of(entry.temp()), entry.size())) {
            partial = opened;
            fetchMissingRanges();
            verifyAndMove();
        } catch (AccessDeniedException e) {
            throw new TransferException(Reason.LOCAL_IO, "Cannot write into " + folder + ": permission denied. Choose another folder.", false, e);
        } catch (IOException e) {
            throw localWriteFailure(e);
        } finally {
            partial = null;
        }
    }

    // ----- plan -----

    /**
     * A downloaded folder's file already here with the same size and, where storage holds one, the
     * same CRC32C: done without fetching a byte, as a folder upload skips what is stored identically.
     * Read once, the local file is compared only when its size matches.
     */
    private boolean identicalThere(Wire.DownloadGrant grant) {
        if (localName == null) {
            return false;
        }
        Path there = folder.resolve(localName);
        try {
            if (!Placement.sameSize(there, grant.size())) {
                return false;
            }
            String local = grant.crc32c() == null ? null : Crc32c.ofFile(there);
            if (local != null && !local.equals(grant.crc32c())) {
                return false;
            }
            target = there;
            wholeCrc = local;
            verifiedBy = local != null ? TransferResult.BY_CRC32C : TransferResult.BY_SIZE;
        } catch (IOException unreadable) {
            return false; // then it is not shown identical, and the name follows --if-exists
        }
        skipped = TransferResult.SKIPPED_IDENTICAL;
        alreadyDone(grant.size());
        return true;
    }

    private void plan(Wire.DownloadGrant grant) {
        String name = localName != null ? localName : Placement.safeName(grant.fileName());
        try {
            Files.createDirectories(folder);
            target = Placement.choose(folder.resolve(name), ifExists);
            Path temp = Placement.partialFile(folder, id());
            Files.deleteIfExists(temp);
            Files.createFile(temp);
            long rangeSize = rangeSize(grant.size());
            entry = new JournalEntry.Download(JournalEntry.VERSION, id(), context.api().api().toString(), name, remoteKey,
                    grant.etag(), grant.crc32c(), grant.size(), rangeSize, target.toString(), temp.toString(), Map.of(),
                    Instant.now(context.clock()), null);
            // A folder's file of one range has nothing to keep part way: its line in the folder's plan is
            // enough to fetch it again after a crash, and a copy already placed is found identical. A
            // folder of thousands of small files so costs one durable write, not one each.
            journaled = localName == null || grant.size() > rangeSize;
            if (journaled) {
                writeJournal(entry);
            }
        } catch (AccessDeniedException e) {
            throw new TransferException(Reason.LOCAL_IO, "Cannot write into " + folder + ": permission denied. Choose another folder.", false, e);
        } catch (IOException e) {
            throw localWriteFailure(e);
        }
    }

    /** Whether a 206's {@code Content-Range} is exactly {@code bytes start-end/size}. */
    static boolean coversExactly(String contentRange, long start, long length, long size) {
        return ("bytes " + start + "-" + (start + length - 1) + "/" + size).equals(contentRange == null ? null : contentRange.strip());
    }

    /** The same plan as uploads: 16 MiB ranges, larger when 10,000 would not cover the file. */
    static long rangeSize(long size) {
        long perRange = (size + 9_999) / 10_000;
        return Math.max(16 * MIB, (perRange + MIB - 1) / MIB * MIB);
    }

    // ----- fetch -----

    private int rangeCount() {
        return (int) ((entry.size() + entry.rangeSize() - 1) / entry.rangeSize());
    }

    private long rangeStart(int range) {
        return range * entry.rangeSize();
    }

    private long rangeLength(int range) {
        return Math.min(entry.rangeSize(), entry.size() - rangeStart(range));
    }

    private void fetchMissingRanges() {
        // Each run starts with its full allowance of retries and new URLs (a resume after a pause too).
        attempts.clear();
        resigns.clear();
        link.resetFailures();
        resetProgress();
        done.keySet().forEach(r -> alreadyDone(rangeLength(r)));
        int missing = rangeCount() - done.size();
        expectParts(missing);
        for (int r = 0; r < rangeCount(); r++) {
            if (!done.containsKey(r)) {
                submit(new RangeJob(r));
            }
        }
        awaitParts();
    }

    private final class RangeJob implements Runnable {
        private final int range;
        // This run's partial file: a job of an earlier run still finishing writes into the file it
        // was made for (closed by now), never into the one a resume opened.
        private final PartialFile partial = Download.this.partial;

        RangeJob(int range) {
            this.range = range;
        }

        @Override
        public void run() {
            if (stopping()) {
                return;
            }
            Wire.DownloadGrant current;
            Requeue back = requeue(this);
            try {
                // The other job's renewal failing is its failure, with its backoff; this job then tries itself.
                current = freshGrant(failure -> back.after(failure instanceof ApiCallException e
                        && context.api().decide(e, Math.max(1, link.failedRenewals())) instanceof RetryPolicy.Retry r
                        ? r.delay() : Duration.ZERO));
            } catch (RuntimeException e) {
                renewalFailed(e);
                return;
            }
            if (current == null) {
                return; // another job is renewing the link; this one comes back when it is done
            }
            long start = rangeStart(range);
            long length = rangeLength(range);
            Request.Builder request = new Request.Builder().url(current.url()).get()
                    .header("Range", "bytes=" + start + "-" + (start + length - 1));
            current.headers().forEach(request::header);
            CRC32C crc = new CRC32C();
            long written = 0;
            PartFailure failure = null;
            Call call = context.http().newCall(request.build());
            track(call);
            try (Response response = call.execute()) {
                String answered = response.header("Content-Range");
                if (response.code() == 206 && !coversExactly(answered, start, length, entry.size())) {
                    // Bytes of another range (a broken cache on the way): as long as asked, but not these.
                    failure = PartFailure.network(new IOException("storage answered \"" + answered + "\" for bytes " + start + "-"
                            + (start + length - 1) + " of " + entry.size()));
                } else if (response.code() != 206 && !(response.code() == 200 && start == 0 && length == entry.size())) {
                    failure = S3Answer.failure(response.code(), response.body().source().readByteArray(
                            Math.min(S3Answer.MAX_ERROR_BYTES, Math.max(0, response.body().contentLength()))));
                } else {
                    // From the socket's buffer into this worker's aligned direct buffer (one copy), then CRC32C over
                    // it in place and one positioned write of it, around the page cache where it can (PartialFile): a
                    // read gives at most one 8 KiB segment, and writing each as it came cost a system call per 8 KiB.
                    // Progress counts every read, so slow links move smoothly.
                    ByteBuffer buffer = WRITE_BUFFER.get().clear();
                    long flushed = 0;
                    try (BufferedSource in = response.body().source()) {
                        while (written < length) {
                            buffer.limit(buffer.position() + (int) Math.min(buffer.capacity() - buffer.position(), length - written));
                            int n = in.read(buffer);
                            if (n < 0) {
                                throw new IOException("The connection closed after " + written + " of " + length + " bytes");
                            }
                            context.throttle().acquire(n);
                            written += n;
                            moved(n);
                            if (!buffer.hasRemaining()) {
                                buffer.flip();
                                crc.update(buffer);
                                buffer.rewind();
                                writeFully(buffer, start + flushed);
                                flushed = written;
                                buffer.clear();
                            }
                        }
                    }
                }
            } catch (LocalWriteFailure e) {
                moved(-written);
                fail(e.transferException);
                return;
            } catch (IOException e) {
                failure = PartFailure.network(e);
            } finally {
                untrack(call);
            }
            if (failure == null) {
                rangeDone(crc);
                return;
            }
            moved(-written);
            if (!stopping()) {
                retry(failure);
            }
        }

        private void renewalFailed(Throwable failure) {
            switch (failure) {
                // A worker does not sleep: the job comes back when the policy says to ask again.
                case ApiCallException e -> {
                    if (context.api().decide(e, Math.max(1, link.failedRenewals())) instanceof RetryPolicy.Retry r) {
                        submitAfter(this, r.delay());
                    } else {
                        fail(e.toTransferException());
                    }
                }
                case TransferException e -> fail(e);
                default -> fail(new TransferException(Reason.INTERNAL, "Cannot get a download link for " + remoteKey + ": " + failure
                        + ". It can be resumed.", true, failure));
            }
        }

        private void writeFully(ByteBuffer buffer, long position) {
            try {
                partial.write(buffer, position);
            } catch (IOException e) {
                throw new LocalWriteFailure(localWriteFailure(e));
            }
        }

        private void rangeDone(CRC32C crc) {
            try {
                // A range counts as done only once it is on disk: a crash must not leave a journaled hole.
                // Unjournaled, nothing points at it: the forced write before the file is placed suffices.
                if (journaled) {
                    partial.force(false);
                }
            } catch (IOException e) {
                fail(localWriteFailure(e));
                return;
            }
            if (entry == null || stale()) {
                return; // the partial was discarded meanwhile (cancelled, or failed for good), or a resume took over
            }
            String value = Crc32c.toBase64((int) crc.getValue());
            done.put(range, value);
            if (journaled) {
                partFinished(range, value);
            } else {
                partDone();
            }
        }

        private void retry(PartFailure failure) {
            int attempt = attempts.merge(range, 1, Integer::sum);
            switch (context.retry().decide(failure, attempt, resigns.getOrDefault(range, 0))) {
                case RetryPolicy.Retry r -> submitAfter(this, r.delay());
                case RetryPolicy.Resign r -> {
                    attempts.merge(range, -1, Integer::sum);
                    resigns.merge(range, 1, Integer::sum);
                    link.expired();
                    submit(this);
                }
                // A corrupted answer on a download: fetch the range again, within the usual bounds.
                case RetryPolicy.Verify v -> {
                    if (context.retry().afterVerified(attempt) instanceof RetryPolicy.Retry r) {
                        submitAfter(this, r.delay());
                    } else {
                        fail(new TransferException(Reason.VERIFICATION, "Storage keeps sending corrupted data for "
                                + entry.name() + "; try again later.", true));
                    }
                }
                case RetryPolicy.RemoteChanged c -> fail(remoteChanged());
                case RetryPolicy.Archived a -> fail(archived(entry.name(), remoteKey));
                case RetryPolicy.GiveUp g -> fail(new TransferException(g.resumable() ? Reason.UNAVAILABLE : Reason.INTERNAL,
                        "Download of " + entry.name() + " stopped: " + g.why() + (g.resumable() ? ". It can be resumed." : "."), g.resumable()));
            }
        }
    }

    /** Carries a local disk failure out of the read loop, so it is not mistaken for a network one. */
    private static final class LocalWriteFailure extends RuntimeException {
        private final TransferException transferException;

        LocalWriteFailure(TransferException e) {
            super(e.getMessage(), null, false, false);
            this.transferException = e;
        }
    }

    // ----- the download URL -----

    private Wire.DownloadGrant freshGrant(java.util.function.Consumer<Throwable> whenRenewed) {
        Wire.DownloadGrant grant = link.fresh(whenRenewed);
        if (grant != null && entry != null && !grant.etag().equals(entry.etag())) {
            throw remoteChanged();
        }
        return grant;
    }

    // ----- verify -----

    /**
     * An object stored without a CRC32C (put by another tool): a single-part object's ETag is the MD5
     * of its bytes (unless it was encrypted with KMS, whose ETags are not), which costs one more read
     * of the file; a multipart one's is not, and then only the size was checked.
     */
    private String checkedWithoutCrc32c(Path temp) throws IOException {
        String etag = entry.etag().replace("\"", "");
        if (!etag.matches("[0-9a-fA-F]{32}")) {
            return TransferResult.BY_SIZE;
        }
        java.security.MessageDigest md5;
        try {
            md5 = java.security.MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
            return TransferResult.BY_SIZE;
        }
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
        for (long at = 0; ; ) {
            int read = partial.read(buffer.clear(), at);
            if (read < 0) {
                break;
            }
            md5.update(buffer.flip());
            at += read;
        }
        String local = java.util.HexFormat.of().formatHex(md5.digest());
        if (local.equalsIgnoreCase(etag)) {
            return TransferResult.BY_MD5;
        }
        if (!"AES256".equals(encryption)) {
            return TransferResult.BY_SIZE; // KMS ETags are not MD5s, and storage did not say it is not KMS
        }
        discardPartial();
        throw new TransferException(Reason.VERIFICATION, "The downloaded copy of " + entry.name() + " does not match storage (its"
                + " MD5 is " + local + ", storage's ETag " + etag + "); it was removed. Download it again.", false);
    }

    @Override
    public String verifiedBy() {
        return verifiedBy;
    }

    /** Whether the target holds exactly the bytes every journaled range says were fetched. */
    private boolean placedEarlier() {
        Path target = Path.of(entry.target());
        try (FileChannel placed = FileChannel.open(target, StandardOpenOption.READ)) {
            if (placed.size() != entry.size()) {
                return false;
            }
            int fetched = 0;
            for (int r = 0; r < rangeCount(); r++) {
                int crc = Crc32c.fromBase64(done.get(r));
                fetched = r == 0 ? crc : Crc32c.combine(fetched, crc, rangeLength(r));
            }
            if (Crc32c.of(placed, 0, entry.size(), ByteBuffer.allocate(1 << 20)) != fetched) {
                return false;
            }
            wholeCrc = Crc32c.toBase64(fetched);
            verifiedBy = entry.remoteCrc32c() != null ? TransferResult.BY_CRC32C : TransferResult.BY_SIZE;
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // no such file, or not readable: fetch it again
        }
    }

    private void verifyAndMove() throws IOException {
        checkpoint();
        verifying();
        Path temp = Path.of(entry.temp());
        partial.force(true);
        long size = Files.size(temp);
        int whole = 0;
        for (int r = 0; r < rangeCount(); r++) {
            int crc = Crc32c.fromBase64(done.get(r));
            whole = r == 0 ? crc : Crc32c.combine(whole, crc, rangeLength(r));
        }
        wholeCrc = Crc32c.toBase64(whole);
        if (size != entry.size() || (entry.remoteCrc32c() != null && !entry.remoteCrc32c().equals(wholeCrc))) {
            discardPartial();
            throw new TransferException(Reason.VERIFICATION, "The downloaded copy of " + entry.name() + " does not match storage ("
                    + size + " bytes, checksum " + wholeCrc + "); it was removed. Download it again.", false);
        }
        verifiedBy = entry.remoteCrc32c() != null ? TransferResult.BY_CRC32C : checkedWithoutCrc32c(temp);
        Placement.move(temp, Path.of(entry.target()), ifExists == IfExists.OVERWRITE);
        forgetEntry();
    }

    // ----- stop -----

    @Override
    protected void paused(String why) {
        if (entry != null) {
            // The ranges were journaled one by one; the entry in memory learns them here. Unjournaled, its one
            // range was not forced to disk as it finished: it is fetched again rather than trusted.
            if (!journaled) {
                done.clear();
            }
            entry = entry.withDoneRanges(Map.copyOf(done));
            writeJournal(entry.withReason(why));
            journaled = true;
        } else {
            // Stopped before its plan (the service unreachable, say): the waiting entry keeps the reason.
            journalAsked(why);
        }
    }

    // A range finishing now journals nothing: it sees no entry, or the journal has none for it.
    @Override
    protected void discardPartial() {
        JournalEntry.Download current = entry;
        forgetEntry(); // before its plan, the journal holds only what was asked (QueuedDownload)
        if (current != null) {
            Placement.deletePartial(current.temp());
        }
    }

    private void forgetEntry() {
        entry = null;
        done.clear();
        deleteJournal();
    }

    /**
     * Storage itself refused a GET of an archived object (the grant found it readable a moment
     * before, or an older service did not look): the same advice as the service's own refusal.
     */
    static TransferException archived(String name, String key) {
        return new TransferException(Reason.ARCHIVED, name + " is archived in storage; restore it first with `skylift restore " + key
                + "` or Restore in the window. A restore takes minutes to hours (up to 48 for DEEP_ARCHIVE).", false);
    }

    private TransferException remoteChanged() {
        return new TransferException(Reason.REMOTE_CHANGED, remoteKey + " was replaced in storage during the download;"
                + " download it again to get the new version.", false);
    }

    private TransferException localWriteFailure(IOException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (Placement.nameTooLong(e)) {
            return new TransferException(Reason.LOCAL_IO, "The disk holding " + folder + " refuses the name of " + name()
                    + " as too long. Choose a folder with a shorter path.", false, e);
        }
        if (message.contains("No space left") || message.contains("not enough space") || message.contains("Disk quota")) {
            return new TransferException(Reason.LOCAL_IO, "The disk holding " + folder + " is full. Free some space, then resume:"
                    + " what was downloaded is kept.", true, e);
        }
        return new TransferException(Reason.LOCAL_IO, "Cannot write into " + folder + ": " + message, true, e);
    }
}
