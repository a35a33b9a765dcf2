package io.skylift.engine.internal.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.skylift.engine.Direction;
import io.skylift.engine.IfExists;
import io.skylift.engine.UnfinishedTransfer;
import io.skylift.engine.internal.download.Placement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.transfer.s3.model.ResumableFileDownload;
import software.amazon.awssdk.transfer.s3.model.ResumableFileUpload;

/**
 * What survives a crash about one unfinished transfer: enough to resume it and to notice that the
 * local file changed. Never a URL, never a token. Immutable: progress makes a new entry.
 *
 * <p>Each kind describes itself ({@link #identity()}, {@link #describe()}, {@link #direct()}), so
 * that code outside the journal need not ask which kind it holds. The record components are the
 * stored JSON: renaming or removing one would strand entries written by earlier releases.
 *
 * <pre>{@code
 * journal.find(JournalEntry.uploadIdentity(file, "2026-11-22 wedding", "IMG_0001.CR3"))
 *         .map(JournalEntry::describe);
 * }</pre>
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "direction")
@JsonSubTypes({
        @JsonSubTypes.Type(value = JournalEntry.Upload.class, name = "UPLOAD"),
        @JsonSubTypes.Type(value = JournalEntry.Download.class, name = "DOWNLOAD"),
        @JsonSubTypes.Type(value = JournalEntry.DirectUpload.class, name = "DIRECT_UPLOAD"),
        @JsonSubTypes.Type(value = JournalEntry.DirectDownload.class, name = "DIRECT_DOWNLOAD"),
        @JsonSubTypes.Type(value = JournalEntry.QueuedDownload.class, name = "QUEUED_DOWNLOAD")})
public sealed interface JournalEntry permits JournalEntry.Parted, JournalEntry.Uploading, JournalEntry.Downloading,
        JournalEntry.QueuedDownload {

    int VERSION = 1;

    String id();

    String api();

    String name();

    long size();

    Instant created();

    /** Why it stopped, for the user; null while it was simply running. */
    String reason();

    Direction direction();

    /**
     * What makes two requests the same transfer: asking for it again resumes this entry. See
     * {@link #uploadIdentity} and {@link #downloadIdentity}.
     */
    String identity();

    /** The local file: the one read (uploads) or the one to be written (downloads). */
    String localPath();

    /** The remote key; null for an upload that storage does not know yet. */
    String key();

    /** How much of it is done, as far as this entry knows. */
    long bytesDone();

    /** True for a transfer of the direct route (straight to a bucket), false for the Skylift API's. */
    boolean direct();

    /** The entry as a user sees it in a list of unfinished transfers. */
    default UnfinishedTransfer describe() {
        return new UnfinishedTransfer(id(), direction(), name(), localPath(), key(), size(), bytesDone(), created(), reason(), api());
    }

    /** The identity of an upload of {@code file} into {@code folder} under {@code name}. */
    static String uploadIdentity(Path file, String folder, String name) {
        // Folders are compared as the keys are built from them: without slashes at either end.
        String base = folder == null ? "" : folder.replaceAll("^/+|/+$", "");
        return "upload\n" + file.toAbsolutePath().normalize() + "\n" + base + "\n" + name;
    }

    /** The identity of a download of {@code key} into {@code folder}. */
    static String downloadIdentity(String key, Path folder) {
        return "download\n" + key + "\n" + folder.toAbsolutePath().normalize();
    }

    /** An upload on either route: from a local file, as planned. */
    sealed interface Uploading extends JournalEntry permits Upload, DirectUpload {

        /** The local file. */
        String file();

        @Override
        default Direction direction() {
            return Direction.UPLOAD;
        }

        @Override
        default String localPath() {
            return file();
        }
    }

    /** A download on either route that has its plan: into a target file, through a temporary one beside it. */
    sealed interface Downloading extends JournalEntry permits Download, DirectDownload {

        /** Where the file goes once verified. */
        String target();

        @Override
        default Direction direction() {
            return Direction.DOWNLOAD;
        }

        @Override
        default String identity() {
            return downloadIdentity(key(), Path.of(target()).toAbsolutePath().getParent());
        }

        @Override
        default String localPath() {
            return target();
        }
    }

    /**
     * The kinds that record finished parts (or ranges) one at a time, each with its CRC32C. The
     * journal keeps those in a log beside the entry and merges them in.
     */
    sealed interface Parted extends JournalEntry permits Upload, Download {

        /** The parts (uploads, from 1) or ranges (downloads, from 0) known finished, with their CRC32C. */
        Map<Integer, String> finishedParts();

        Parted withFinishedParts(Map<Integer, String> parts);

        /**
         * True when {@code other} numbers its parts as this entry does, so parts recorded for one
         * are parts of the other: the same remote upload, or the same object version into the same
         * temporary file.
         */
        boolean samePlan(JournalEntry other);

        /** Only the Skylift API's route records parts one at a time; the transfer manager keeps its own. */
        @Override
        default boolean direct() {
            return false;
        }
    }

    /**
     * An upload: the local file as planned, the sealed upload id, and the parts known sent, each with
     * its CRC32C (needed for the whole-file checksum without reading those parts again).
     *
     * @param name       the name it was asked to go under, which identifies it ({@link #identity()})
     * @param ifExists   what it does when another file holds the name; null (entries of earlier
     *                   releases) for FAIL
     * @param remoteName the name it goes under when not {@code name} (a numbered copy it became), else null
     */
    record Upload(int version, String id, String api, String name, String file, String folder, String key, String uploadId,
                  long size, long modifiedMillis, String fingerprint, long partSize, int partCount,
                  Map<Integer, String> sentParts, Instant created, String reason,
                  @JsonInclude(JsonInclude.Include.NON_NULL) IfExists ifExists,
                  @JsonInclude(JsonInclude.Include.NON_NULL) String remoteName)
            implements Parted, Uploading {

        /** As an earlier release wrote it: fails on a taken name, under its own name. */
        public Upload(int version, String id, String api, String name, String file, String folder, String key, String uploadId,
                      long size, long modifiedMillis, String fingerprint, long partSize, int partCount,
                      Map<Integer, String> sentParts, Instant created, String reason) {
            this(version, id, api, name, file, folder, key, uploadId, size, modifiedMillis, fingerprint, partSize, partCount,
                    sentParts, created, reason, null, null);
        }

        @Override
        public String identity() {
            return uploadIdentity(Path.of(file), folder, name);
        }

        @Override
        public long bytesDone() {
            long bytes = 0;
            for (int part : sentParts.keySet()) {
                bytes += part < partCount ? partSize : size - partSize * (partCount - 1L);
            }
            return bytes;
        }

        @Override
        public Map<Integer, String> finishedParts() {
            return sentParts;
        }

        @Override
        public Upload withFinishedParts(Map<Integer, String> parts) {
            return withSentParts(parts);
        }

        @Override
        public boolean samePlan(JournalEntry other) {
            return other instanceof Upload u && uploadId != null && uploadId.equals(u.uploadId) && partSize == u.partSize;
        }

        public Upload withSentParts(Map<Integer, String> parts) {
            return new Upload(version, id, api, name, file, folder, key, uploadId, size, modifiedMillis, fingerprint, partSize,
                    partCount, Map.copyOf(parts), created, reason, ifExists, remoteName);
        }

        public Upload withReason(String why) {
            return new Upload(version, id, api, name, file, folder, key, uploadId, size, modifiedMillis, fingerprint, partSize,
                    partCount, sentParts, created, why, ifExists, remoteName);
        }

        public Upload withIfExists(IfExists policy) {
            return new Upload(version, id, api, name, file, folder, key, uploadId, size, modifiedMillis, fingerprint, partSize,
                    partCount, sentParts, created, reason, policy, remoteName);
        }
    }

    /**
     * A download: the object version (ETag) it is pinned to, where it goes, the temporary file beside
     * it, and the ranges written and flushed to disk, each with its CRC32C.
     */
    record Download(int version, String id, String api, String name, String key, String etag, String remoteCrc32c,
                    long size, long rangeSize, String target, String temp, Map<Integer, String> doneRanges,
                    Instant created, String reason) implements Parted, Downloading {

        @Override
        public long bytesDone() {
            return Math.min(size, doneRanges.size() * rangeSize);
        }

        @Override
        public Map<Integer, String> finishedParts() {
            return doneRanges;
        }

        @Override
        public Download withFinishedParts(Map<Integer, String> parts) {
            return withDoneRanges(parts);
        }

        @Override
        public boolean samePlan(JournalEntry other) {
            return other instanceof Download d && Objects.equals(etag, d.etag) && Objects.equals(temp, d.temp)
                    && rangeSize == d.rangeSize && size == d.size;
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
            implements Uploading {
        @Override
        public String identity() {
            int slash = key.lastIndexOf('/');
            return uploadIdentity(Path.of(file), slash < 0 ? "" : key.substring(0, slash), key.substring(slash + 1));
        }


        /** By the transfer manager's state; after a crash the bucket tells, once resumed. */
        @Override
        public long bytesDone() {
            if (resumeState == null) {
                return 0;
            }
            ResumableFileUpload state = ResumableFileUpload.fromString(resumeState);
            return Math.min(size, state.transferredParts().orElse(0L) * state.partSizeInBytes().orElse(0L));
        }

        @Override
        public boolean direct() {
            return true;
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
            implements Downloading {

        /** By the transfer manager's state, or after a crash by the temporary file. */
        @Override
        public long bytesDone() {
            if (resumeState != null) {
                return ResumableFileDownload.fromString(resumeState).bytesTransferred();
            }
            try {
                return Math.min(size, Files.size(Path.of(temp)));
            } catch (IOException none) {
                return 0;
            }
        }

        @Override
        public boolean direct() {
            return true;
        }

        public DirectDownload withResumeState(String state, String why) {
            return new DirectDownload(version, id, api, name, key, etag, size, target, temp, replace, state, created, why);
        }
    }

    /**
     * A download asked for but still waiting for a slot, on either route: nothing is known of the
     * object yet, so this is only what was asked. Uploads need no such entry because they are
     * planned before they queue; a download's plan needs the object, so it happens when the
     * download starts and then replaces this entry.
     *
     * @param directRoute which route asked for it (stored as {@code direct}); null in entries written
     *                    before it was recorded
     * @param localName   for a file of a downloaded folder, its local name exactly as checked usable when
     *                    planned (the tree below the folder is kept as stored, dotfiles too), and such a
     *                    download takes an identical local file for done; null for a download by key,
     *                    which names its file after the download grant's name made safe
     */
    record QueuedDownload(int version, String id, String api, String name, String key, String folder, IfExists ifExists,
                          Instant created, String reason, @JsonProperty("direct") Boolean directRoute,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String localName) implements JournalEntry {

        /** An entry that does not say its route: it is read from {@code api} (see {@link #direct()}). */
        public QueuedDownload(int version, String id, String api, String name, String key, String folder, IfExists ifExists,
                              Instant created, String reason) {
            this(version, id, api, name, key, folder, ifExists, created, reason, null, null);
        }

        /** A download by key, as entries before folder downloads were written. */
        public QueuedDownload(int version, String id, String api, String name, String key, String folder, IfExists ifExists,
                              Instant created, String reason, Boolean directRoute) {
            this(version, id, api, name, key, folder, ifExists, created, reason, directRoute, null);
        }

        @Override
        public long size() {
            return 0;
        }

        @Override
        public Direction direction() {
            return Direction.DOWNLOAD;
        }

        @Override
        public String identity() {
            return downloadIdentity(key, Path.of(folder));
        }

        @Override
        public String localPath() {
            return Path.of(folder).resolve(localName != null ? localName : Placement.safeName(name)).toString();
        }

        @Override
        public long bytesDone() {
            return 0;
        }

        @Override
        public boolean direct() {
            // Entries written before the route was recorded tell it only by their connection: a bucket's
            // name (s3://…) for the direct route, the API's https address otherwise.
            return directRoute != null ? directRoute : api.startsWith("s3://");
        }
    }
}
