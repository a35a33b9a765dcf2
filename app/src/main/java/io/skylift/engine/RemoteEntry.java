package io.skylift.engine;

import java.time.Instant;

/**
 * A file or folder in storage that the signed-in person may read.
 *
 * @param folder true for a folder ({@code key} ends in '/'; size, etag and lastModified are empty)
 */
public record RemoteEntry(String key, boolean folder, long size, String etag, Instant lastModified) {

    public String name() {
        String trimmed = folder ? key.substring(0, key.length() - 1) : key;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }
}
