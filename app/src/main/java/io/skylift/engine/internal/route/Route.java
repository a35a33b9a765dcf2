package io.skylift.engine.internal.route;

import io.skylift.engine.EngineSettings;
import io.skylift.engine.IfExists;
import io.skylift.engine.TransferEngine;
import io.skylift.engine.internal.EngineContext;
import io.skylift.engine.internal.TransferRun;
import io.skylift.engine.internal.direct.DirectS3;
import io.skylift.engine.internal.journal.JournalEntry;
import java.nio.file.Path;

/**
 * One way of reaching storage, chosen once when the engine starts: presigned URLs from the Skylift
 * API ({@link PresignedRoute}), or a bucket reached with the person's own AWS credentials
 * ({@link DirectRoute}). The engine never asks which it has: the route makes the runs, lists the
 * remote files, says who is signed in, and recognises the journal entries it wrote, so a new route
 * is one new class.
 *
 * <p>Implementations are thread-safe.
 */
public interface Route extends AutoCloseable {

    /** The route the settings ask for: direct when they name a bucket, else the Skylift API's. */
    static Route open(EngineSettings settings, EngineContext context) {
        if (settings.direct() != null) {
            return new DirectRoute(context, DirectS3.open(settings.direct(), settings.concurrency(), settings.partSize()));
        }
        return new PresignedRoute(context);
    }

    /**
     * A new upload of {@code file} into {@code folder} (empty for the top level), stored as
     * {@code remoteName} (null for the file's own name). Not journaled yet: {@link #plan} does that,
     * before it is queued.
     */
    TransferRun upload(String id, Path file, String folder, String remoteName, IfExists ifExists);

    /**
     * Journals new uploads made by {@link #upload}, and new downloads made by {@link #folderDownload},
     * as planned, so that queued ones survive a restart, in as few durable writes as the route can (a
     * dropped folder of thousands costs one).
     */
    void plan(java.util.List<TransferRun> runs);

    /**
     * The full-object CRC32C storage holds for {@code key}, when it holds one and this route can learn
     * it without reading the object; empty otherwise (then a file cannot be shown identical to it).
     */
    default java.util.Optional<String> storedChecksum(String key) {
        return java.util.Optional.empty();
    }

    /**
     * A new download of {@code key} into {@code folder}. Journaled before it waits for a slot, so a
     * download still queued when the app closes is there at the next start.
     */
    TransferRun download(String id, String key, Path folder, IfExists ifExists);

    /**
     * A new download of one file of a downloaded folder into {@code folder}, as {@code localName}
     * (checked usable as it is); an identical local file counts as done. Not journaled yet:
     * {@link #plan} does that, with the folder's other files, before it is queued.
     */
    TransferRun folderDownload(String id, String key, Path folder, String localName, IfExists ifExists);

    /** True for the journal entries this route wrote and can resume; the others belong to another route or place. */
    boolean owns(JournalEntry entry);

    /** A run that continues {@code entry}, which this route {@link #owns}; makes no I/O (the engine calls it under its map's lock). */
    TransferRun resume(JournalEntry entry);

    /** One page of remote entries under {@code prefix}; sub-folders as entries when {@code folders}. */
    TransferEngine.RemotePage list(String prefix, boolean folders, String cursor);

    /** Who is signed in, checked with one call. */
    TransferEngine.Account account();

    @Override
    void close();
}
