package io.skylift.engine;

import java.time.Instant;

/**
 * A transfer the journal holds from an earlier run: it can be resumed.
 *
 * @param reason     why it stopped, if it did not simply get interrupted
 * @param connection where it goes: the Skylift API's address, or {@code s3://bucket} for direct mode
 */
public record UnfinishedTransfer(String id, Direction direction, String name, String file, String key, long size,
                                 long bytesDone, Instant started, String reason, String connection) {

    /** The same transfer, with what a live run has done by now. */
    public UnfinishedTransfer withBytesDone(long bytes) {
        return new UnfinishedTransfer(id, direction, name, file, key, size, bytes, started, reason, connection);
    }
}
