package io.skylift.engine.internal.direct;

import java.util.function.LongConsumer;
import software.amazon.awssdk.transfer.s3.progress.TransferListener;

/**
 * Feeds the transfer manager's progress into a transfer's counters: what an earlier run already did
 * once, then each increase. On the CRT the manager reports a part's bytes as the CRT reports them
 * sent, never as read into a buffer (a test holds it to that through a throttled proxy).
 */
final class DirectProgress implements TransferListener {

    private final LongConsumer moved;
    private final LongConsumer alreadyDone;
    private long reported; // guarded by this

    DirectProgress(LongConsumer moved, LongConsumer alreadyDone) {
        this.moved = moved;
        this.alreadyDone = alreadyDone;
    }

    @Override
    public synchronized void transferInitiated(Context.TransferInitiated context) {
        reported = context.progressSnapshot().transferredBytes();
        alreadyDone.accept(reported);
    }

    @Override
    public synchronized void bytesTransferred(Context.BytesTransferred context) {
        long now = context.progressSnapshot().transferredBytes();
        if (now > reported) {
            moved.accept(now - reported);
            reported = now;
        }
    }
}
