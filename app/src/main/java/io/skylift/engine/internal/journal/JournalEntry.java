package io.skylift.engine.internal.journal;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.skylift.engine.Direction;
import io.skylift.engine.IfExists;
import java.time.Instant;
import java.util.Map;

/**
 * What survives a crash about one unfinished transfer: enough to resume it and to notice that the
 * local file changed. Never a URL, never a token. Immutable: progress makes a new entry.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "direction")
@JsonSubTypes({
        @JsonSubTypes.Type(value = JournalEntry.Upload.class, name = "UPLOAD"),
        @JsonSubTypes.Type(value = JournalEntry.Download.class, name = "DOWNLOAD"),
        @JsonSubTypes.Type(value = JournalEntry.DirectUpload.class, name = "DIRECT_UPLOAD"),
        @JsonSubTypes.Type(value = JournalEntry.DirectDownload.class, name = "DIRECT_DOWNLOAD"),
        @JsonSubTypes.Type(value = JournalEntry.QueuedDownload.class, name = "QUEUED_DOWNLOAD")})
public sealed interface JournalEntry permits JournalEntry.Upload, JournalEntry.Download, JournalEntry.DirectUpload,
        JournalEntry.DirectDownload, JournalEntry.QueuedDownload {

    int VERSION = 1;

    String id();

    String api();

    String name();

    long size();

    Instant created();

    /** Why it stopped, for the user; null while it was simply running. */
    String reason();

    Direction direction();

    // Interim, until entries describe themselves.
    String key();

    default String localPath() {
        return switch (this) {
            case Upload u -> u.file();
            case Download d -> d.target();
            case DirectUpload u -> u.file();
            case DirectDownload d -> d.target();
            case QueuedDownload q -> java.nio.file.Path.of(q.folder())
                    .resolve(io.skylift.engine.internal.download.Placement.safeName(q.name())).toString();
        };
    }

    default long bytesDone() {
        return switch (this) {
            case Upload u -> {
                long bytes = 0;
                for (int part : u.sentParts().keySet()) {
                    bytes += part < u.partCount() ? u.partSize() : u.size() - u.partSize() * (u.partCount() - 1L);
                }
                yield bytes;
            }
            case Download d -> Math.min(d.size(), d.doneRanges().size() * d.rangeSize());
            case DirectUpload u -> io.skylift.engine.internal.direct.DirectUpload.bytesDone(u);
            case DirectDownload d -> io.skylift.engine.internal.direct.DirectDownload.bytesDone(d);
            case QueuedDownload q -> 0;
        };
    }

    default io.skylift.engine.UnfinishedTransfer describe() {
        return new io.skylift.engine.UnfinishedTransfer(id(), direction(), name(), localPath(), key(), size(), bytesDone(),
                created(), reason(), api());
    }

    default boolean direct() {
        return this instanceof DirectUpload || this instanceof DirectDownload
                || (this instanceof QueuedDownload q && q.api().startsWith("s3://"));
    }

    /**
     * An upload: the local file as planned, the sealed upload id, and the parts known sent, each with
     * its CRC32C (needed for the whole-file checksum without reading those parts again).
     */
    record Upload(int version, String id, String api, String name, String file, String folder, String key, String uploadId,
                  long size, long modifiedMillis, String fingerprint, long partSize, int partCount,
                  Map<Integer, String> sentParts, Instant created, String reason) implements JournalEntry {
        @Override
        public Direction direction() {
            return Direction.UPLOAD;
        }

        public Upload withSentParts(Map<Integer, String> parts) {
            return new Upload(version, id, api, name, file, folder, key, uploadId, size, modifiedMillis, fingerprint, partSize,
                    partCount, Map.copyOf(parts), created, reason);
        }

        public Upload withReason(String why) {
            return new Upload(version, id, api, name, file, folder, key, uploadId, size, modifiedMillis, fingerprint, partSize,
                    partCount, sentParts, created, why);
        }
    }

    /**
     * A download: the object version (ETag) it is pinned to, where it goes, the temporary file beside
     * it, and the ranges written and flushed to disk, each with its CRC32C.
     */
    record Download(int version, String id, String api, String name, String key, String etag, String remoteCrc32c,
                    long size, long rangeSize, String target, String temp, Map<Integer, String> doneRanges,
                    Instant created, String reason) implements JournalEntry {
        @Override
        public Direction direction() {
            return Direction.DOWNLOAD;
        }

        public Download withDoneRanges(Map<Integer, String> ranges) {
            return new Download(version, id, api, name, key, etag, remoteCrc32c, size, rangeSize, target, temp,
                    Map.copyOf(ranges), created, reason);
        }

        public Download withReason(String why) {
            return new Download(version, id, api, name, key, etag, remoteCrc32c, size, rangeSize, target, temp, doneRanges,
                    created, why);
        }
    }

    /**
     * An upload straight to a bucket through the transfer manager: the local file as planned, and
     * the transfer manager's own resume state ({@code ResumableFileUpload} as JSON: upload id, part
     * size, parts sent; no credentials) once it paused. Null state after a crash: the upload is found
     * again by listing the bucket's unfinished uploads of the key.
     */
    record DirectUpload(int version, String id, String api, String name, String file, String key, long size,
                        long modifiedMillis, String fingerprint, String resumeState, Instant created, String reason)
            implements JournalEntry {
        @Override
        public Direction direction() {
            return Direction.UPLOAD;
        }

        public DirectUpload withResumeState(String state, String why) {
            return new DirectUpload(version, id, api, name, file, key, size, modifiedMillis, fingerprint, state, created, why);
        }
    }

    /**
     * A download straight from a bucket: the object version it is pinned to, where it goes, the
     * temporary file beside it, and the transfer manager's {@code ResumableFileDownload} as JSON once
     * it paused.
     */
    record DirectDownload(int version, String id, String api, String name, String key, String etag, long size,
                          String target, String temp, boolean replace, String resumeState, Instant created, String reason)
            implements JournalEntry {
        @Override
        public Direction direction() {
            return Direction.DOWNLOAD;
        }

        public DirectDownload withResumeState(String state, String why) {
            return new DirectDownload(version, id, api, name, key, etag, size, target, temp, replace, state, created, why);
        }
    }

    /**
     * A download asked for but still waiting for a slot, on either route ({@code api} tells which):
     * nothing is known of the object yet, so this is only what was asked. Uploads need no such entry
     * because they are planned before they queue; a download's plan needs the object, so it happens
     * when the download starts and then replaces this entry.
     */
    record QueuedDownload(int version, String id, String api, String name, String key, String folder, IfExists ifExists,
                          Instant created, String reason) implements JournalEntry {
        @Override
        public long size() {
            return 0;
        }

        @Override
        public Direction direction() {
            return Direction.DOWNLOAD;
        }
    }
}
