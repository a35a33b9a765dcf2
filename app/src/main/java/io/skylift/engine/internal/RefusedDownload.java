package io.skylift.engine.internal;

import io.skylift.engine.Direction;
import io.skylift.engine.TransferException;

/**
 * A file of a downloaded folder that cannot land safely (see {@code LocalTree}): its run
 * fails at once with why, touches no disk and no journal, and the folder's other files go on. Seen
 * as a failed transfer, it is named in the results like any other that did not finish.
 */
public final class RefusedDownload extends TransferRun {

    private final String key;
    private final TransferException why;

    public RefusedDownload(EngineContext context, String id, String key, long size, TransferException why) {
        super(context, id, Direction.DOWNLOAD, key.substring(key.lastIndexOf('/') + 1), size);
        this.key = key;
        this.why = why;
    }

    @Override
    protected void execute() {
        throw why;
    }

    @Override
    protected void paused(String reason) {
        // never paused: its one failure is not retryable
    }

    @Override
    protected void cancelled() {
        // nothing was made
    }

    @Override
    public String file() {
        return null;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public String crc32c() {
        return null;
    }
}
