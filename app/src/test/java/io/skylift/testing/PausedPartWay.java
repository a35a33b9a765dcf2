package io.skylift.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.engine.Transfer;
import io.skylift.engine.TransferState;

/** A transfer paused for real part way: once at least so many bytes moved, then paused and stopped. */
public final class PausedPartWay {

    private static final long PATIENCE_NANOS = 60_000_000_000L;

    private PausedPartWay() {}

    public static void after(Transfer transfer, long bytes) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        while (transfer.progress().bytesDone() < bytes && !transfer.stopped().isDone() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        transfer.pause();
        assertThat(transfer.stopped().join().state()).isEqualTo(TransferState.PAUSED);
    }
}
