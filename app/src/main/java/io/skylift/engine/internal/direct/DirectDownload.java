package io.skylift.engine.internal.direct;

import io.skylift.engine.IfExists;
import io.skylift.engine.TransferException;
import io.skylift.engine.TransferException.Reason;
import io.skylift.engine.internal.EngineContext;
import io.skylift.engine.internal.Stopped;
import io.skylift.engine.internal.download.DownloadRun;
import io.skylift.engine.internal.download.Placement;
import io.skylift.engine.internal.journal.JournalEntry;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.transfer.s3.model.DownloadFileRequest;
import software.amazon.awssdk.transfer.s3.model.FileDownload;
import software.amazon.awssdk.transfer.s3.model.ResumableFileDownload;

/**
 * One object downloaded straight from a bucket by the transfer manager on the CRT, into a temporary
 * file beside the target, pinned to the version it started with, verified, then moved into place as
 * the other route does. A pause keeps the transfer manager's resume state in the journal; after a
 * crash the temporary file's prefix is kept.
 */
public final class DirectDownload extends DownloadRun {

    private static final long MIB = 1024 * 1024;
    private static final long CRASH_MARGIN_MIB = 8;
    private static final long QUIET_MILLIS = 150;

    private final DirectS3 s3;
    private volatile JournalEntry.DirectDownload entry;
    private volatile String target;
    private HeadObjectResponse remote; // the object as last seen, for the flow's thread
    private final DirectProgress progress = new DirectProgress(this::moved, this::alreadyDone);
    private volatile String skipped;

    /** @param localName a downloaded folder's file: its local name (see {@code Download}); null for a download by key */
    public DirectDownload(EngineContext context, DirectS3 s3, String id, String key, Path folder, IfExists ifExists, String localName) {
        super(context, id, key, folder, ifExists, localName, key.substring(key.lastIndexOf('/') + 1), 0, s3.target().journalName(), true);
        this.s3 = s3;
    }

    public DirectDownload(EngineContext context, DirectS3 s3, JournalEntry.DirectDownload entry) {
        super(context, entry.id(), entry.key(), Path.of(entry.target()).getParent(),
                entry.replace() ? IfExists.OVERWRITE : IfExists.FAIL, null, entry.name(), entry.size(), s3.target().journalName(), true);
        this.s3 = s3;
        this.entry = entry;
        this.target = entry.target();
    }

    @Override
    public String file() {
        String chosen = target;
        return chosen != null ? chosen : folder.resolve(localNameBeforePlan()).toString();
    }

    @Override
    public String skipped() {
        return skipped;
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
        if (entry == null) {
            if (plan()) {
                return;
            }
        } else if (!(remote = head()).eTag().equals(entry.etag())) {
            discardPartial();
            throw new TransferException(Reason.REMOTE_CHANGED, remoteKey + " was replaced in storage since the download began;"
                    + " download it again to get the new version.", false);
        }
        resetProgress();
        FileDownload download = start(entry);
        try {
            CrtCompletion.await(download.completionFuture(), this, () -> stop(download));
        } catch (ExecutionException e) {
            TransferException why = s3.explain(e.getCause());
            if (!why.isRetryable()) {
                discardPartial();
            }
            throw why;
        }
        verifyAndMove();
    }

    // True when there is nothing to fetch: a downloaded folder's file already here, identical.
    private boolean plan() {
        HeadObjectResponse head = head();
        remote = head;
        String name = localNameBeforePlan();
        if (identicalThere(head)) {
            forget();
            return true;
        }
        try {
            Files.createDirectories(folder);
            Path chosen = Placement.choose(folder.resolve(name), ifExists);
            target = chosen.toString();
            Path temp = Placement.partialFile(folder, id());
            Files.deleteIfExists(temp);
            describe(name, head.contentLength());
            save(new JournalEntry.DirectDownload(JournalEntry.VERSION, id(), s3.target().journalName(), name, remoteKey, head.eTag(),
                    head.contentLength(), target, temp.toString(), ifExists == IfExists.OVERWRITE, null,
                    Instant.now(context.clock()), null));
            return false;
        } catch (AccessDeniedException e) {
            throw new TransferException(Reason.LOCAL_IO, "Cannot write into " + folder + ": permission denied. Choose another folder.", false, e);
        } catch (IOException e) {
            if (Placement.nameTooLong(e)) {
                throw new TransferException(Reason.LOCAL_IO, "The disk holding " + folder + " refuses the name of " + name
                        + " as too long. Choose a folder with a shorter path.", false, e);
            }
            throw new TransferException(Reason.LOCAL_IO, "Cannot write into " + folder + ": " + e.getMessage(), true, e);
        }
    }

    // As on the other route: same size, and the stored checksum where the object has one.
    private boolean identicalThere(HeadObjectResponse head) {
        if (localName == null) {
            return false;
        }
        Path there = folder.resolve(localName);
        try {
            if (!Placement.sameSize(there, head.contentLength())) {
                return false;
            }
            StoredChecksum stored = StoredChecksum.of(head);
            if (stored != null && stored.check(there, head.contentLength(), s3.partSize()) != StoredChecksum.Verdict.MATCH) {
                return false;
            }
        } catch (IOException unreadable) {
            return false;
        }
        target = there.toString();
        skipped = io.skylift.engine.TransferResult.SKIPPED_IDENTICAL;
        describe(localName, head.contentLength());
        alreadyDone(head.contentLength());
        return true;
    }

    private FileDownload start(JournalEntry.DirectDownload planned) {
        DownloadFileRequest request = DownloadFileRequest.builder()
                .destination(Path.of(planned.temp()))
                .getObjectRequest(g -> g.bucket(s3.bucket()).key(remoteKey).ifMatch(planned.etag()).checksumMode(ChecksumMode.ENABLED))
                .addTransferListener(progress)
                .build();
        ResumableFileDownload resumable;
        if (planned.resumeState() != null) {
            resumable = ResumableFileDownload.fromString(planned.resumeState());
            Optional<Instant> written = lastWritten(Path.of(planned.temp()), resumable.bytesTransferred());
            if (written.isEmpty()) {
                return s3.transfers().downloadFile(request);
            }
            // A write under way when the pause came may land just after it, touching the file's time;
            // the transfer manager would then take the file for changed and start again. Nobody else
            // writes this temporary file, so its time now is the one to check against.
            resumable = resumable.toBuilder().fileLastModified(written.get()).build();
        } else {
            Optional<ResumableFileDownload> kept = keptAfterCrash(planned, request);
            if (kept.isEmpty()) {
                return s3.transfers().downloadFile(request);
            }
            resumable = kept.get();
        }
        ResumableFileDownload.Builder pinned = resumable.toBuilder().downloadFileRequest(request);
        // Paused before the first answer arrived (or as the process ended), the state may lack what
        // the object looked like; without it the transfer manager starts again from nothing.
        if (resumable.totalSizeInBytes().isEmpty()) {
            pinned.totalSizeInBytes(planned.size());
        }
        if (resumable.s3ObjectEtag().isEmpty()) {
            pinned.s3ObjectEtag(planned.etag());
        }
        if (resumable.s3ObjectLastModified().isEmpty() && remote != null) {
            pinned.s3ObjectLastModified(remote.lastModified());
        }
        return s3.transfers().resumeDownloadFile(pinned.build());
    }

    /**
     * After a crash no resume state was written, but the temporary file holds what arrived: the
     * transfer manager writes a download into its file in order, one write at a time, so the file is
     * a prefix of the object. The last {@value #CRASH_MARGIN_MIB} MiB are fetched again in case the
     * final write was cut short; the stored checksum is checked at the end all the same.
     */
    private Optional<ResumableFileDownload> keptAfterCrash(JournalEntry.DirectDownload planned, DownloadFileRequest request) {
        Path temp = Path.of(planned.temp());
        try {
            if (!Files.exists(temp) || remote == null) {
                return Optional.empty();
            }
            long kept = Math.max(0, Math.min(Files.size(temp), planned.size()) - CRASH_MARGIN_MIB * MIB) / MIB * MIB;
            if (kept == 0) {
                return Optional.empty();
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.truncate(kept);
                channel.force(true);
            }
            return Optional.of(ResumableFileDownload.builder()
                    .downloadFileRequest(request)
                    .bytesTransferred(kept)
                    .totalSizeInBytes(planned.size())
                    .s3ObjectEtag(planned.etag())
                    .s3ObjectLastModified(remote.lastModified())
                    .fileLastModified(Instant.ofEpochMilli(Files.getLastModifiedTime(temp).toMillis()))
                    .build());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    // When the temporary file still holds at least what the resume state counts, its modification time.
    private static Optional<Instant> lastWritten(Path temp, long bytesTransferred) {
        try {
            if (Files.exists(temp) && Files.size(temp) >= bytesTransferred) {
                return Optional.of(Instant.ofEpochMilli(Files.getLastModifiedTime(temp).toMillis()));
            }
        } catch (IOException e) {
            // gone or unreadable: start again
        }
        return Optional.empty();
    }

    private void stop(FileDownload download) {
        ResumableFileDownload state = download.pause();
        if (!stopRequested(Stopped.Kind.CANCEL)) {
            save(entry.withResumeState(state.serializeToString(), null));
            awaitQuiet(Path.of(entry.temp()));
        }
        checkpoint();
    }

    // The CRT's last writes of a paused download can land after pause() returns. A resume that
    // checked the file before they landed would see it change under it and start again from
    // nothing, so the pause ends only once the file has been still for a moment (2 s at most).
    private static void awaitQuiet(Path temp) {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        try {
            String last = "";
            while (System.nanoTime() < deadline) {
                String now = Files.exists(temp) ? Files.size(temp) + "@" + Files.getLastModifiedTime(temp).toMillis() : "gone";
                if (now.equals(last)) {
                    return;
                }
                last = now;
                Thread.sleep(QUIET_MILLIS);
            }
        } catch (IOException e) {
            // Unreadable now: the resume's own check of the file decides.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void verifyAndMove() {
        checkpoint();
        verifying();
        Path temp = Path.of(entry.temp());
        try {
            long size = Files.size(temp);
            // The object as pinned when this run began (If-Match kept it so): no second look needed.
            StoredChecksum stored = StoredChecksum.of(remote);
            StoredChecksum.Verdict verdict = stored == null ? StoredChecksum.Verdict.UNKNOWN : stored.check(temp, size, s3.partSize());
            if (size != entry.size() || verdict == StoredChecksum.Verdict.MISMATCH) {
                discardPartial();
                throw new TransferException(Reason.VERIFICATION, "The downloaded copy of " + entry.name() + " does not match storage ("
                        + size + " bytes); it was removed. Download it again.", false);
            }
            Placement.move(temp, Path.of(entry.target()), entry.replace());
        } catch (IOException e) {
            throw new TransferException(Reason.LOCAL_IO, "Cannot finish " + entry.target() + ": " + e.getMessage(), true, e);
        }
        forget();
    }

    private HeadObjectResponse head() {
        return s3.await(() -> s3.s3().headObject(b -> b.bucket(s3.bucket()).key(remoteKey).checksumMode(ChecksumMode.ENABLED)).get());
    }

    @Override
    protected void paused(String why) {
        JournalEntry.DirectDownload current = entry;
        if (current != null) {
            save(current.withResumeState(current.resumeState(), why));
        } else {
            // Stopped before its plan (credentials refused for now, say): the waiting entry keeps the reason.
            journalAsked(why);
        }
    }

    @Override
    protected void discardPartial() {
        JournalEntry.DirectDownload current = entry;
        if (current != null) {
            Placement.deletePartial(current.temp());
        }
        forget(); // before its plan, the journal holds only what was asked (QueuedDownload)
    }

    private void save(JournalEntry.DirectDownload next) {
        writeJournal(next);
        entry = next;
    }

    private void forget() {
        deleteJournal();
        entry = null;
    }
}
