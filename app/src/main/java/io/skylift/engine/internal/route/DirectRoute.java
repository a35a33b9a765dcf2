package io.skylift.engine.internal.route;

import io.skylift.engine.ArchiveState;
import io.skylift.engine.DirectTarget;
import io.skylift.engine.IfExists;
import io.skylift.engine.RemoteEntry;
import io.skylift.engine.TransferEngine;
import io.skylift.engine.internal.EngineContext;
import io.skylift.engine.internal.TransferRun;
import io.skylift.engine.internal.direct.DirectDownload;
import io.skylift.engine.internal.direct.DirectS3;
import io.skylift.engine.internal.direct.DirectUpload;
import io.skylift.engine.internal.journal.JournalEntry;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.OptionalObjectAttributes;
import software.amazon.awssdk.services.s3.model.RestoreStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import java.util.ArrayList;
import java.util.List;

/**
 * Straight to a bucket with the person's own AWS credentials, through the AWS transfer manager on
 * the CRT; no Skylift API. Only this bucket's and server's journal entries are its own, so a
 * transfer never resumes into another bucket. Thread-safe.
 */
public final class DirectRoute implements Route {

    private final EngineContext context;
    private final DirectS3 s3;
    // Set once the server answered 501 to OptionalObjectAttributes (S3-compatible servers may lack it): listings then ask without it.
    private volatile boolean restoreStatusUnlisted;

    public DirectRoute(EngineContext context, DirectS3 s3) {
        this.context = context;
        this.s3 = s3;
    }

    @Override
    public TransferRun upload(String id, Path file, String folder, String remoteName, IfExists ifExists) {
        return new DirectUpload(context, s3, id, file, folder, remoteName);
    }

    // Direct uploads journal the CRT's own resume state, one entry each; downloads what was asked, one each.
    @Override
    public void plan(java.util.List<TransferRun> runs) {
        runs.forEach(run -> {
            switch (run) {
                case DirectUpload upload -> upload.plan();
                case DirectDownload download -> download.journalAsked(null);
                default -> throw new IllegalArgumentException("Not a run of the direct route: " + run.id());
            }
        });
    }

    @Override
    public TransferRun download(String id, String key, Path folder, IfExists ifExists) {
        DirectDownload download = new DirectDownload(context, s3, id, key, folder, ifExists, null);
        download.journalAsked(null);
        return download;
    }

    @Override
    public TransferRun folderDownload(String id, String key, Path folder, String localName, IfExists ifExists) {
        return new DirectDownload(context, s3, id, key, folder, ifExists, localName);
    }

    @Override
    public boolean owns(JournalEntry entry) {
        return entry.direct() && entry.api().equals(s3.target().journalName());
    }

    @Override
    public TransferRun resume(JournalEntry entry) {
        return switch (entry) {
            case JournalEntry.DirectUpload u -> new DirectUpload(context, s3, u);
            case JournalEntry.DirectDownload d -> new DirectDownload(context, s3, d);
            // Already journaled as asked: only the run is made again.
            case JournalEntry.QueuedDownload q -> new DirectDownload(context, s3, q.id(), q.key(), Path.of(q.folder()), q.ifExists(),
                    q.localName());
            default -> throw new IllegalArgumentException("Not an entry of the direct route: " + entry.id());
        };
    }

    @Override
    public TransferEngine.RemotePage list(String prefix, boolean folders, String cursor) {
        String under = prefix == null ? "" : prefix;
        var page = s3.await(() -> {
            if (!restoreStatusUnlisted) {
                try {
                    return listing(under, folders, cursor, true).get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof S3Exception refused) || refused.statusCode() != 501) {
                        throw e;
                    }
                    // Its archived objects then list as archived, restored or not; a download still finds out.
                    restoreStatusUnlisted = true;
                }
            }
            return listing(under, folders, cursor, false).get();
        });
        List<RemoteEntry> entries = new ArrayList<>();
        page.commonPrefixes().forEach(p -> entries.add(new RemoteEntry(p.prefix(), true, 0, null, null)));
        page.contents().stream().filter(o -> !o.key().equals(under))
                .forEach(o -> entries.add(new RemoteEntry(o.key(), false, o.size(), o.eTag(), o.lastModified(), o.storageClassAsString(),
                        archiveOf(o))));
        return new TransferEngine.RemotePage(under, entries, Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null);
    }

    private CompletableFuture<ListObjectsV2Response> listing(String under, boolean folders, String cursor, boolean restoreStatus) {
        return s3.s3().listObjectsV2(b -> {
            b.bucket(s3.bucket()).prefix(under).maxKeys(1000).continuationToken(cursor);
            if (restoreStatus) {
                b.optionalObjectAttributes(OptionalObjectAttributes.RESTORE_STATUS);
            }
            if (folders) {
                b.delimiter("/");
            }
        });
    }

    // As the Skylift API tells it: GLACIER and DEEP_ARCHIVE are archived unless restored.
    private static ArchiveState archiveOf(S3Object object) {
        String storageClass = object.storageClassAsString();
        if (!"GLACIER".equals(storageClass) && !"DEEP_ARCHIVE".equals(storageClass)) {
            return ArchiveState.NONE;
        }
        RestoreStatus restore = object.restoreStatus();
        if (restore == null || restore.isRestoreInProgress() == null) {
            return ArchiveState.ARCHIVED;
        }
        return restore.isRestoreInProgress() ? ArchiveState.RESTORING : ArchiveState.restored(restore.restoreExpiryDate());
    }

    @Override
    public TransferEngine.Account account() {
        s3.check();
        DirectTarget target = s3.target();
        String who = target.profile() != null ? "AWS profile " + target.profile() : "AWS credentials";
        return new TransferEngine.Account("aws", who, List.of("direct"), "", List.of(""));
    }

    @Override
    public void close() {
        s3.close();
    }
}
