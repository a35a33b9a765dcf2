package io.skylift.engine.internal.route;

import io.skylift.engine.IfExists;
import io.skylift.engine.RemoteEntry;
import io.skylift.engine.TransferEngine;
import io.skylift.engine.internal.EngineContext;
import io.skylift.engine.internal.TransferRun;
import io.skylift.engine.internal.api.ApiCallException;
import io.skylift.engine.internal.api.Wire;
import io.skylift.engine.internal.download.Download;
import io.skylift.engine.internal.journal.JournalEntry;
import io.skylift.engine.internal.upload.Upload;
import java.nio.file.Path;
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
        Upload upload = new Upload(context, id, file, folder, remoteName, ifExists);
        upload.plan();
        return upload;
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
        Download download = new Download(context, id, key, folder, ifExists);
        download.journalAsked(null);
        return download;
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
            case JournalEntry.QueuedDownload q -> new Download(context, q.id(), q.key(), Path.of(q.folder()), q.ifExists());
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
        page.files().forEach(f -> entries.add(new RemoteEntry(f.key(), false, f.size(), f.etag(), f.lastModified())));
        return new TransferEngine.RemotePage(page.prefix(), entries, page.nextCursor());
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
