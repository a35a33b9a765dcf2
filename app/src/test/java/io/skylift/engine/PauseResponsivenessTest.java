package io.skylift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.testing.FaultProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pausing answers at once, whatever the workers are waiting for: here a download's worker is stuck
 * asking the API for a new download link, and the API never answers.
 */
class PauseResponsivenessTest {

    static final long RANGE = 16L * 1024 * 1024;
    static final Predicate<FaultProxy.RequestHead> GRANT = h -> h.path().endsWith("/v1/downloads");

    @TempDir
    Path dir;
    @AutoClose
    ProxiedSandbox proxied;

    @Test
    void pausingADownloadWhoseWorkerWaitsForAnApiThatNeverAnswersReturnsAtOnceAndTheDownloadPauses() throws Exception {
        // 3 s links: a range starting two seconds in needs a new one.
        proxied = ProxiedSandbox.start(dir, Duration.ofSeconds(3));
        FaultProxy s3Proxy = proxied.s3;
        FaultProxy apiProxy = proxied.api;
        TransferEngine engine = proxied.engine(dir.resolve("journal"), 2, 5L * 1024 * 1024, Duration.ofSeconds(10));
        Path source = RoundTripTest.randomFile(dir, "scan.tif", 3 * RANGE, 31);
        TransferResult up = engine.upload(source, "scans").getFirst().stopped().join();
        assertThat(up.state()).as(up.reason()).isEqualTo(TransferState.DONE);

        // Two ranges at a time at 16 MiB/s: the third starts after about two seconds, with a stale link.
        s3Proxy.throttleDownloads(16L * 1024 * 1024);
        Transfer download = engine.download(up.key(), Files.createDirectories(dir.resolve("out")), IfExists.FAIL);
        awaitUntil(() -> download.progress().bytesDone() > 0, "the download is under way");
        apiProxy.stallNext(1_000, GRANT, Duration.ofSeconds(60));
        awaitUntil(() -> apiProxy.requestsSeen(GRANT) >= 2, "a worker asks for a new link");

        long start = System.nanoTime();
        download.pause();
        long pauseMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(pauseMillis).as("pause() took %d ms", pauseMillis).isLessThan(100);
        TransferResult paused = download.stopped().get(10, TimeUnit.SECONDS);
        assertThat(paused.state()).as(paused.reason()).isEqualTo(TransferState.PAUSED);
    }

    @Test
    void pausingAnUploadWhoseFlowWaitsForAnApiThatNeverAnswersStopsItAtOnceInsteadOfWaitingOutTheCall() throws Exception {
        proxied = ProxiedSandbox.start(dir, Duration.ofSeconds(300));
        FaultProxy apiProxy = proxied.api;
        TransferEngine engine = proxied.engine(dir.resolve("journal"), 2, 5L * 1024 * 1024, Duration.ofSeconds(20));
        Predicate<FaultProxy.RequestHead> create = h -> h.method().equals("POST")
                && (h.path().endsWith("/v1/uploads") || h.path().endsWith("/v1/batch/uploads"));
        apiProxy.stallNext(1_000, create, Duration.ofSeconds(60));
        Transfer upload = engine.upload(RoundTripTest.randomFile(dir, "stuck.bin", 12L * 1024 * 1024, 32), "stuck").getFirst();
        awaitUntil(() -> apiProxy.requestsSeen(create) >= 1, "the upload asks the API to create it");

        long start = System.nanoTime();
        upload.pause();
        TransferResult paused = upload.stopped().get(20, TimeUnit.SECONDS);
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(paused.state()).as(paused.reason()).isEqualTo(TransferState.PAUSED);
        // Not the 20 s of the stalled call's timeout, let alone its retries.
        assertThat(stopMillis).as("the upload stopped %d ms after pause()", stopMillis).isLessThan(2_000);
        apiProxy.clearFaults();
        upload.resume();
        assertThat(upload.stopped().join().state()).as("and it resumes").isEqualTo(TransferState.DONE);
    }

    static void awaitUntil(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited for: " + what).isLessThan(deadline);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
