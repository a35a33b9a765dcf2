package io.skylift.engine;

import java.nio.file.Path;

/**
 * What an upload of one file would do, found without sending anything ({@code --dry-run}).
 *
 * @param folder   the remote folder it lands in
 * @param name     the name it would be stored under (a kept copy's "name (1).ext" for RENAME)
 * @param verdict  what would happen
 * @param reason   why, in words, for the person
 */
public record UploadPreview(Path file, String folder, String name, long size, Verdict verdict, String reason) {

    /** What would happen to the file. */
    public enum Verdict {
        /** Sent: the name is free. */
        SEND,
        /** An unfinished upload of it continues. */
        RESUME,
        /** Storage already holds this very file (same size and CRC32C): nothing is sent. */
        ALREADY_STORED,
        /** Another file holds the name, and skipping was asked. */
        SKIP,
        /** Another file holds the name: sent as a kept copy under {@link #name()}. */
        RENAME,
        /** Another file holds the name: refused, as asked (the default). */
        REFUSE
    }
}
