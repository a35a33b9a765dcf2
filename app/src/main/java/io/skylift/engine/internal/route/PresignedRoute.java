package io.skylift.engine.internal.route;

import io.skylift.engine.ArchiveState;
import io.skylift.engine.IfExists;
import io.skylift.engine.RemoteEntry;
import io.skylift.engine.TransferEngine;
import io.skylift.engine.TransferException;
import io.skylift.engine.internal.EngineContext;
import io.skylift.engine.internal.TransferRun;
import io.skylift.engine.internal.api.ApiCallException;
import io.skylift.engine.internal.api.Wire;
import io.skylift.engine.internal.download.Download;
import io.skylift.engine.internal.journal.Journal;
import io.skylift.engine.internal.journal.JournalEntry;
import io.skylift.engine.internal.upload.Upload;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The default route: the Skylift API authorises every step and signs short-lived URLs, and the
 * bytes go between this computer and storage through them. Thread-safe.
 */
public final class PresignedRoute implements Route {

    private final EngineContext context;

    public PresignedRoute(EngineContext context) {
        this.context = context;
    }

    @Override
    public TransferRun upload(String id, Path file, String folder, String remoteName, IfExists ifExists) {
        return new Upload(context, id, file, folder, remoteName, ifExists);
    }

    /**
     * One write per {@link Journal#MAX_PLANNED} transfers. Each entry is a nanosecond after the one
     * before, so the journal lists them in the order given.
     */
    @Override
    public void plan(List<TransferRun> runs) {
        Instant now = Instant.now(context.clock());
        List<TransferRun> batch = new ArrayList<>();
        List<JournalEntry> entries = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            TransferRun run = runs.get(i);
            JournalEntry entry = switch (run) {
                case Upload upload -> upload.plannedEntry(now.plusNanos(i));
                case Download download -> download.askedEntry(now.plusNanos(i), null);
                default -> throw new IllegalArgumentException("Not a run of the presigned route: " + run.id());
            };
            if (entry == null) {
                continue; // unreadable: it fails with the words for the case when it starts
            }
            batch.add(run);
            entries.add(entry);
            if (entries.size() == Journal.MAX_PLANNED) {
                savePlanned(batch, entries);
                batch = new ArrayList<>();
                entries = new ArrayList<>();
            }
        }
        savePlanned(batch, entries);
    }

    private void savePlanned(List<TransferRun> runs, List<JournalEntry> entries) {
        try {
            context.journal().savePlanned(entries);
        } catch (IOException e) {
            throw new TransferException(TransferException.Reason.LOCAL_IO, "Cannot write the transfer journal in "
                    + context.journal().dir() + ": " + e.getMessage() + ". The files it could not record were not started.", false, e);
        }
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i) instanceof Upload upload) {
                upload.planned((JournalEntry.Upload) entries.get(i));
            }
        }
    }

    // The download grant names the stored checksum; it signs a URL and reads no byte of the object.
    @Override
    public java.util.Optional<String> storedChecksum(String key) {
        try {
            return java.util.Optional.ofNullable(context.api().download(key).crc32c());
        } catch (ApiCallException e) {
            if (e.status() == 404) {
                return java.util.Optional.empty();
            }
            throw e.toTransferException();
        }
    }

    @Override
    public TransferRun download(String id, String key, Path folder, IfExists ifExists) {
        Download download = new Download(context, id, key, folder, ifExists, null);
        download.journalAsked(null);
        return download;
    }

    @Override
    public TransferRun folderDownload(String id, String key, Path folder, String localName, IfExists ifExists) {
        return new Download(context, id, key, folder, ifExists, localName);
    }

    // Any API's entries: the sandbox, say, may come back on another port and its uploads still resume.
    @Override
    public boolean owns(JournalEntry entry) {
        return !entry.direct();
    }

    @Override
    public TransferRun resume(JournalEntry entry) {
        return switch (entry) {
            case JournalEntry.Upload u -> new Upload(context, u);
            case JournalEntry.Download d -> new Download(context, d);
            // Already journaled as asked: only the run is made again.
            case JournalEntry.QueuedDownload q -> new Download(context, q.id(), q.key(), Path.of(q.folder()), q.ifExists(), q.localName());
            default -> throw new IllegalArgumentException("Not an entry of the presigned route: " + entry.id());
        };
    }

    @Override
    public TransferEngine.RemotePage list(String prefix, boolean folders, String cursor) {
        Wire.FilesPage page = call(() -> context.api().files(prefix, folders, cursor));
        List<RemoteEntry> entries = new ArrayList<>();
        if (page.folders() != null) {
            page.folders().forEach(f -> entries.add(new RemoteEntry(f, true, 0, null, null)));
        }
        page.files().forEach(f -> entries.add(new RemoteEntry(f.key(), false, f.size(), f.etag(), f.lastModified(), f.storageClass(),
                archiveOf(f.archive()))));
        return new TransferEngine.RemotePage(page.prefix(), entries, page.nextCursor());
    }

    // None said (a file that downloads now, or a service from before archives): not archived.
    static ArchiveState archiveOf(Wire.Archive archive) {
        if (archive == null || archive.state() == null) {
            return ArchiveState.NONE;
        }
        return switch (archive.state()) {
            case "archived" -> ArchiveState.ARCHIVED;
            case "restoring" -> ArchiveState.RESTORING;
            case "restored" -> ArchiveState.restored(archive.until());
            default -> ArchiveState.NONE; // a state a newer service knows: its download says what to do
        };
    }

    @Override
    public TransferEngine.Account account() {
        Wire.Me me = call(() -> context.api().me());
        return new TransferEngine.Account(me.user().id(), me.user().name(), me.roles(), me.home(), me.readablePrefixes());
    }

    private static <T> T call(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (ApiCallException e) {
            throw e.toTransferException();
        }
    }

    @Override
    public void close() {
        // The API client shares the engine's HTTP client, which the engine closes.
    }
}
