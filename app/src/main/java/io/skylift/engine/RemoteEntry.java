package io.skylift.engine;

import java.time.Instant;

/**
 * A file or folder in storage that the signed-in person may read. Immutable.
 *
 * <pre>{@code
 * if (!entry.folder() && !entry.archive().downloadable()) {
 *     engine.files().restore(List.of(entry.key()), 7, RestoreTier.STANDARD);
 * }
 * }</pre>
 *
 * @param folder       true for a folder ({@code key} ends in '/'; size, etag and lastModified are empty)
 * @param storageClass S3's storage class as listed ({@code STANDARD}, {@code GLACIER}, {@code DEEP_ARCHIVE},
 *                     ...), or null when storage names none (STANDARD) or for a folder
 * @param archive      whether the file downloads now or must be restored first; {@link ArchiveState#NONE}
 *                     for a folder, and when the service does not say (an older backend)
 */
public record RemoteEntry(String key, boolean folder, long size, String etag, Instant lastModified, String storageClass,
                          ArchiveState archive) {

    public RemoteEntry {
        if (archive == null) {
            archive = ArchiveState.NONE;
        }
    }

    /** A file or folder that lies in no archive. */
    public RemoteEntry(String key, boolean folder, long size, String etag, Instant lastModified) {
        this(key, folder, size, etag, lastModified, null, ArchiveState.NONE);
    }

    public String name() {
        String trimmed = folder ? key.substring(0, key.length() - 1) : key;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }
}
