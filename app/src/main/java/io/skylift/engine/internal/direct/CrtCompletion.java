package io.skylift.engine.internal.direct;

import io.skylift.engine.internal.Stopped;
import io.skylift.engine.internal.TransferRun;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a transfer the transfer manager runs, on the run's flow thread. The CRT cannot be told
 * "stop when this run is paused", so the wait looks for a pause or cancel every
 * {@value #POLL_MILLIS} ms and then calls the run's own way of stopping the CRT's transfer.
 */
final class CrtCompletion {

    private static final long POLL_MILLIS = 200;

    private CrtCompletion() {
    }

    /**
     * Returns once {@code done} completes; {@code stop} runs when the run is asked to stop (it
     * pauses the CRT's transfer, records it and throws {@link Stopped}).
     *
     * @throws ExecutionException the transfer manager's failure
     */
    static void await(CompletableFuture<?> done, TransferRun run, Runnable stop) throws ExecutionException {
        while (true) {
            try {
                done.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException stillRunning) {
                if (run.stopRequest() != null) {
                    stop.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                run.requestStop(Stopped.Kind.PAUSE);
                stop.run();
            }
        }
    }
}
