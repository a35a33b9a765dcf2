package io.skylift.engine.internal.direct;

import io.skylift.engine.Direction;
import io.skylift.engine.TransferException;
import io.skylift.engine.TransferException.Reason;
import io.skylift.engine.internal.EngineContext;
import io.skylift.engine.internal.TransferRun;
import io.skylift.engine.internal.journal.JournalEntry;
import io.skylift.engine.internal.local.LocalFile;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.transfer.s3.model.FileUpload;
import software.amazon.awssdk.transfer.s3.model.ResumableFileUpload;
import software.amazon.awssdk.transfer.s3.model.UploadFileRequest;

/**
 * One file uploaded straight to a bucket by the transfer manager on the CRT. Skylift keeps what the
 * transfer manager cannot: the journal entry written before the first byte, the file's fingerprint
 * (a changed file is refused, never uploaded as a mix), and after a crash the upload found again by
 * listing the bucket's unfinished uploads of the key, so only the missing parts are sent.
 */
public final class DirectUpload extends TransferRun {

    // After a crash, an unfinished upload of the key counts as this transfer's if it began after the
    // entry was written, allowing for the two clocks to differ this much.
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final DirectS3 s3;
    private final Path path;
    private final String key;
    private volatile JournalEntry.DirectUpload entry;
    private final DirectProgress progress = new DirectProgress(this::moved, this::alreadyDone);

    public DirectUpload(EngineContext context, DirectS3 s3, String id, Path path, String folder, String remoteName) {
        super(context, id, Direction.UPLOAD, remoteName != null ? remoteName : path.getFileName().toString(), 0);
        this.s3 = s3;
        this.path = path;
        String base = folder == null ? "" : folder.replaceAll("^/+|/+$", "");
        this.key = base.isEmpty() ? name() : base + "/" + name();
    }

    public DirectUpload(EngineContext context, DirectS3 s3, JournalEntry.DirectUpload entry) {
        super(context, entry.id(), Direction.UPLOAD, entry.name(), entry.size());
        this.s3 = s3;
        this.path = Path.of(entry.file());
        this.key = entry.key();
        this.entry = entry;
    }

    /** Checks the file and writes the journal entry: before the transfer is queued, without a network call. */
    public void plan() {
        LocalFile local;
        try {
            local = LocalFile.inspect(path);
        } catch (NoSuchFileException e) {
            throw new TransferException(Reason.LOCAL_IO, path + " does not exist.", false, e);
        } catch (AccessDeniedException e) {
            throw new TransferException(Reason.LOCAL_IO, "Cannot read " + path + ": permission denied.", false, e);
        } catch (IOException e) {
            throw new TransferException(Reason.LOCAL_IO, "Cannot read " + path + ": " + e.getMessage(), false, e);
        }
        describe(name(), local.size());
        entry = new JournalEntry.DirectUpload(JournalEntry.VERSION, id(), s3.target().journalName(), name(), path.toString(), key,
                local.size(), local.modifiedMillis(), local.fingerprint(), null, Instant.now(context.clock()), null);
        save(entry);
    }

    @Override
    public String file() {
        return path.toString();
    }

    @Override
    public String key() {
        return key;
    }

    // The CRT's own number, whatever it used of it: it does not say.
    @Override
    public int connections() {
        return bytesMoved() > 0 ? s3.concurrency() : 0;
    }

    @Override
    public String crc32c() {
        return null;
    }

    @Override
    protected void execute() {
        JournalEntry.DirectUpload planned = entry;
        LocalFile local = new LocalFile(path, planned.size(), planned.modifiedMillis(), planned.fingerprint());
        if (!unchanged(local)) {
            abandon(planned);
            throw changed();
        }
        // S3 has no "create only" for multipart uploads through the transfer manager: look first.
        if (planned.resumeState() == null && remoteHead().isPresent()) {
            forget();
            throw new TransferException(Reason.EXISTS, "s3://" + s3.bucket() + "/" + key + " already exists; it was left untouched."
                    + " Upload under another name or folder.", false);
        }
        resetProgress();
        FileUpload upload = start(planned);
        try {
            CrtCompletion.await(upload.completionFuture(), this, () -> stop(upload));
        } catch (ExecutionException e) {
            // The file went away or changed under the CRT: say so, and free what S3 holds of it.
            if (!Files.exists(path)) {
                abandon(entry);
                throw new TransferException(Reason.LOCAL_IO, path + " was deleted during the upload; nothing of it was kept"
                        + " in storage.", false, e);
            }
            if (!unchanged(local)) {
                abandon(entry);
                throw changed();
            }
            // The CRT retried and gave up: keep what S3 holds; resuming finds the upload by listing.
            save(entry.withResumeState(null, null));
            throw s3.explain(e.getCause());
        }
        verifying();
        if (!unchanged(local)) {
            deleteObject();
            abandon(entry);
            throw changed();
        }
        verify(local);
        forget();
    }

    private FileUpload start(JournalEntry.DirectUpload planned) {
        UploadFileRequest request = UploadFileRequest.builder()
                .source(path)
                .putObjectRequest(p -> p.bucket(s3.bucket()).key(key).checksumAlgorithm(ChecksumAlgorithm.CRC64_NVME))
                .addTransferListener(progress)
                .build();
        ResumableFileUpload resumable;
        if (planned.resumeState() != null) {
            resumable = ResumableFileUpload.fromString(planned.resumeState());
            progress.expectHeld(Math.min(planned.size(), resumable.transferredParts().orElse(0L) * resumable.partSizeInBytes().orElse(0L)));
        } else {
            resumable = recovered(planned).orElse(null);
        }
        if (resumable == null) {
            progress.expectHeld(0);
            return s3.transfers().uploadFile(request);
        }
        // The transfer manager keeps no listeners in its resume state: give it this run's.
        return s3.transfers().resumeUploadFile(resumable.toBuilder().uploadFileRequest(request).build());
    }

    // After a crash nothing recorded the upload id: the bucket lists it, with the parts it holds.
    private Optional<ResumableFileUpload> recovered(JournalEntry.DirectUpload planned) {
        Instant since = planned.created().minus(CLOCK_SKEW);
        List<MultipartUpload> mine = s3.await(() -> s3.s3().listMultipartUploads(b -> b.bucket(s3.bucket()).prefix(key)).get())
                .uploads().stream()
                .filter(u -> u.key().equals(key) && !u.initiated().isBefore(since))
                .sorted(Comparator.comparing(MultipartUpload::initiated).reversed())
                .toList();
        if (mine.isEmpty()) {
            return Optional.empty();
        }
        String uploadId = mine.getFirst().uploadId();
        List<Part> parts = s3.await(() -> s3.s3().listParts(b -> b.bucket(s3.bucket()).key(key).uploadId(uploadId)).get()).parts();
        Optional<Part> first = parts.stream().filter(p -> p.partNumber() == 1).findFirst();
        // The first part's size is the part size the CRT chose; without it the parts cannot be placed.
        if (first.isEmpty() || first.get().size() >= planned.size()) {
            abort(uploadId);
            return Optional.empty();
        }
        long partSize = first.get().size();
        long total = (planned.size() + partSize - 1) / partSize;
        progress.expectHeld(parts.stream().mapToLong(Part::size).sum());
        return Optional.of(ResumableFileUpload.builder()
                .multipartUploadId(uploadId)
                .fileLength(planned.size())
                .fileLastModified(Instant.ofEpochMilli(planned.modifiedMillis()))
                .partSizeInBytes(partSize)
                .totalParts(total)
                .transferredParts((long) parts.size())
                .uploadFileRequest(r -> r.source(path).putObjectRequest(p -> p.bucket(s3.bucket()).key(key)))
                .build());
    }

    private void stop(FileUpload upload) {
        ResumableFileUpload state = upload.pause();
        if (stopRequested(io.skylift.engine.internal.Stopped.Kind.CANCEL)) {
            state.multipartUploadId().ifPresent(this::abort);
            checkpoint(); // throws: runOnce then calls cancelled(), which cleans up the rest
        }
        // A part the CRT finished just before the pause may not have reached its progress listener yet.
        progress.atLeast(Math.min(entry.size(), state.transferredParts().orElse(0L) * state.partSizeInBytes().orElse(0L)));
        // Without an upload id the CRT had not started one, or had not told; resuming lists the bucket.
        save(entry.withResumeState(state.multipartUploadId().isPresent() ? state.serializeToString() : null, null));
        checkpoint();
    }

    private void verify(LocalFile local) {
        HeadObjectResponse head = remoteHead().orElseThrow(() -> new TransferException(Reason.VERIFICATION,
                "S3 does not list " + key + " after the upload; upload it again.", false));
        if (head.contentLength() != local.size()) {
            throw new TransferException(Reason.VERIFICATION, "S3 holds " + head.contentLength() + " bytes for " + key + ", not the "
                    + local.size() + " bytes that were sent.", false);
        }
        StoredChecksum stored = StoredChecksum.of(head);
        if (stored == null) {
            return;
        }
        try {
            long partSize = entry.resumeState() != null ? ResumableFileUpload.fromString(entry.resumeState()).partSizeInBytes()
                    .orElse(s3.partSize()) : s3.partSize();
            if (stored.check(path, local.size(), partSize) == StoredChecksum.Verdict.MISMATCH) {
                throw new TransferException(Reason.VERIFICATION, "The " + stored.algorithm() + " checksum S3 holds for " + key
                        + " does not match " + path.getFileName() + "; upload it again.", false);
            }
        } catch (IOException e) {
            throw new TransferException(Reason.LOCAL_IO, "Cannot read " + path + " to verify it: " + e.getMessage(), true, e);
        }
    }

    private Optional<HeadObjectResponse> remoteHead() {
        try {
            return Optional.of(s3.s3().headObject(b -> b.bucket(s3.bucket()).key(key).checksumMode(ChecksumMode.ENABLED)).get());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NoSuchKeyException || (e.getCause() instanceof S3Exception s && s.statusCode() == 404)) {
                return Optional.empty();
            }
            throw s3.explain(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransferException(Reason.UNAVAILABLE, "Interrupted while talking to S3.", true, e);
        }
    }

    private boolean unchanged(LocalFile local) {
        try {
            return local.unchanged();
        } catch (IOException e) {
            return false;
        }
    }

    private TransferException changed() {
        return new TransferException(Reason.FILE_CHANGED, path.getFileName() + " changed since the upload began, so it was not"
                + " uploaded as a mix of old and new. Upload it again.", false);
    }

    @Override
    protected void paused(String why) {
        JournalEntry.DirectUpload current = entry;
        if (current != null) {
            save(current.withResumeState(current.resumeState(), why));
        }
    }

    @Override
    protected void cancelled() {
        JournalEntry.DirectUpload current = entry;
        if (current != null) {
            abandon(current);
        }
    }

    // Frees whatever S3 holds of this upload, then forgets it.
    private void abandon(JournalEntry.DirectUpload current) {
        try {
            if (current.resumeState() != null) {
                ResumableFileUpload.fromString(current.resumeState()).multipartUploadId().ifPresent(this::abort);
            }
            s3.await(() -> s3.s3().listMultipartUploads(b -> b.bucket(s3.bucket()).prefix(key)).get()).uploads().stream()
                    .filter(u -> u.key().equals(key) && !u.initiated().isBefore(current.created().minus(CLOCK_SKEW)))
                    .forEach(u -> abort(u.uploadId()));
        } catch (TransferException e) {
            // The bucket's lifecycle rule removes what could not be aborted now.
        }
        forget();
    }

    private void abort(String uploadId) {
        s3.await(() -> s3.s3().abortMultipartUpload(b -> b.bucket(s3.bucket()).key(key).uploadId(uploadId)).get());
    }

    private void deleteObject() {
        s3.await(() -> s3.s3().deleteObject(b -> b.bucket(s3.bucket()).key(key)).get());
    }

    private void save(JournalEntry.DirectUpload next) {
        writeJournal(next);
        entry = next;
    }

    private void forget() {
        deleteJournal();
    }
}
