package io.skylift.engine.internal.direct;

import java.util.function.LongConsumer;
import software.amazon.awssdk.transfer.s3.progress.TransferListener;

/**
 * Feeds the transfer manager's progress into a transfer's counters: what an earlier run already did
 * once, then each increase. On the CRT the manager reports a part's bytes as the CRT reports them
 * sent, never as read into a buffer (a test holds it to that through a throttled proxy). A resumed
 * upload also reports the parts storage already held as it skips them: those count as done before,
 * not as sent by this run.
 */
final class DirectProgress implements TransferListener {

    private final LongConsumer moved;
    private final LongConsumer alreadyDone;
    // The CRT reports from its own threads; the counters only ever move under this lock.
    private final Object lock = new Object();
    private long reported; // guarded by lock
    private long held; // guarded by lock: bytes storage held before this run, not yet reported

    DirectProgress(LongConsumer moved, LongConsumer alreadyDone) {
        this.moved = moved;
        this.alreadyDone = alreadyDone;
    }

    /** Before a run starts: how many bytes storage already holds, which the manager may report again. */
    void expectHeld(long bytes) {
        synchronized (lock) {
            held = bytes;
        }
    }

    /**
     * The transfer manager's own record says {@code confirmedTotal} bytes are stored: count what its
     * listener has not reported yet as sent by this run.
     */
    void atLeast(long confirmedTotal) {
        advanceTo(confirmedTotal);
    }

    @Override
    public void transferInitiated(Context.TransferInitiated context) {
        synchronized (lock) {
            reported = context.progressSnapshot().transferredBytes();
            held = Math.max(0, held - reported);
            alreadyDone.accept(reported);
        }
    }

    @Override
    public void bytesTransferred(Context.BytesTransferred context) {
        advanceTo(context.progressSnapshot().transferredBytes());
    }

    // What storage held before this run is progress, not bytes this process sent.
    private void advanceTo(long total) {
        synchronized (lock) {
            if (total > reported) {
                long increase = total - reported;
                long skipped = Math.min(held, increase);
                held -= skipped;
                if (skipped > 0) {
                    alreadyDone.accept(skipped);
                }
                if (increase > skipped) {
                    moved.accept(increase - skipped);
                }
                reported = total;
            }
        }
    }
}
