package io.skylift.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.skylift.testing.FaultProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine finds how many connections pay. Through a proxy that holds each connection to a slow
 * rate, as a long link holds each to its window per round trip, only more connections go faster:
 * with the default settings a download grows past 8; 503 SlowDown answers halve the number; a
 * setting of 8 is the most it uses. These count connections; none times a speed.
 */
@Timeout(240)
class ConnectionGrowthTest {

    static final long MIB = 1024 * 1024;
    /** Twelve ranges of 16 MiB: with 8 connections, four wait; with 12, none. */
    static final int RANGES = 12;
    /** Each connection's rate, each way: a 16 MiB range takes about 8 s. */
    static final long PER_CONNECTION = 2_000_000;
    static final Duration DEADLINE = Duration.ofSeconds(60);
    static final Predicate<FaultProxy.RequestHead> RANGE_GET = h -> h.method().equals("GET") && h.headers().containsKey("range");

    @TempDir
    static Path dir;
    static ProxiedSandbox proxied;
    static String key;

    @BeforeAll
    static void storeAFileOfTwelveRanges() throws IOException {
        proxied = ProxiedSandbox.start(dir, Duration.ofSeconds(300));
        Path source = RoundTripTest.randomFile(dir, "archive.bin", RANGES * 16 * MIB, 15);
        try (TransferEngine uploader = proxied.engine(dir.resolve("journal-up"), 8, 0, Duration.ofSeconds(20))) {
            TransferResult up = uploader.upload(source, "growth").getFirst().stopped().join();
            assertThat(up.state()).as(up.reason()).isEqualTo(TransferState.DONE);
            key = up.key();
        }
        Files.delete(source);
    }

    @AfterAll
    static void stop() {
        if (proxied != null) {
            proxied.close();
        }
    }

    @AfterEach
    void liftTheLimits() {
        proxied.s3.throttleEachConnection(0);
        proxied.s3.clearFaults();
    }

    Transfer slowDownload(TransferEngine engine, String folder) throws IOException, InterruptedException {
        // Connections that fetch ranges: the backend's own calls to storage go through the proxy too.
        // What an engine closed before still had open is gone first, so the peak counts this download's alone.
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        proxied.s3.countConnections(RANGE_GET);
        while (proxied.s3.peakConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
            proxied.s3.countConnections(RANGE_GET);
        }
        proxied.s3.throttleEachConnection(PER_CONNECTION);
        return engine.download(key, Files.createDirectories(dir.resolve(folder)), IfExists.FAIL);
    }

    /** Polls the engine's number until {@code wanted}; fails after {@link #DEADLINE}, saying what it saw. */
    static int awaitConnections(TransferEngine engine, Transfer transfer, String what, IntPredicate wanted) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        int least = Integer.MAX_VALUE;
        int most = 0;
        while (System.nanoTime() < deadline) {
            int now = engine.connections();
            if (wanted.test(now)) {
                return now;
            }
            least = Math.min(least, now);
            most = Math.max(most, now);
            if (transfer.state() != TransferState.QUEUED && transfer.state() != TransferState.RUNNING) {
                return fail("the download ended (%s) before %s; the connections went from %d to %d", transfer.state(), what, least, most);
            }
            Thread.sleep(10);
        }
        return fail("waited %s for %s; the connections went from %d to %d", DEADLINE, what, least, most);
    }

    @Test
    void withTheDefaultSettingsADownloadGrowsPastEightConnectionsWhenOnlyMoreConnectionsGoFaster() throws Exception {
        try (TransferEngine engine = proxied.engineWithDefaults(dir.resolve("journal-grow"), Duration.ofSeconds(30))) {
            assertThat(engine.connections()).as("where it starts").isEqualTo(8);
            Transfer download = slowDownload(engine, "grow");

            // 9 would be a probe, which is taken back if it does not pay; 10 is a probe that paid and a climb.
            awaitConnections(engine, download, "at least 10 connections", n -> n >= 10);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (proxied.s3.peakConnections() < 10 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(proxied.s3.peakConnections()).as("connections fetching from storage at once").isGreaterThanOrEqualTo(10);

            download.cancel();
            TransferResult result = download.stopped().join();
            assertThat(result.connections()).as("the most this download used, as --json reports it").isGreaterThanOrEqualTo(10);
        }
    }

    @Test
    void slowDownAnswersHalveTheConnectionsAtOnce() throws Exception {
        try (TransferEngine engine = proxied.engineWithDefaults(dir.resolve("journal-shrink"), Duration.ofSeconds(30))) {
            int faultsBefore = proxied.s3.faultsInjected();
            proxied.s3.failNext(4, RANGE_GET, 503);
            Transfer download = slowDownload(engine, "shrink");

            int after = awaitConnections(engine, download, "at most 4 connections", n -> n <= 4);

            assertThat(after).isBetween(1, 4);
            assertThat(proxied.s3.faultsInjected() - faultsBefore).as("503 SlowDown answers").isPositive();
            download.cancel();
            download.stopped().join();
        }
    }

    @Test
    void aSettingOfEightIsTheMostEvenWhenMoreWouldGoFaster() throws Exception {
        try (TransferEngine engine = proxied.engine(dir.resolve("journal-capped"), 8, 0, Duration.ofSeconds(30))) {
            Transfer download = slowDownload(engine, "capped");

            // Longer than the default engine takes to grow past 8 (see above), with four ranges waiting all along.
            int most = 0;
            for (long until = System.nanoTime() + Duration.ofSeconds(12).toNanos(); System.nanoTime() < until; ) {
                most = Math.max(most, engine.connections());
                Thread.sleep(10);
            }

            assertThat(most).isEqualTo(8);
            assertThat(proxied.s3.peakConnections()).as("connections fetching from storage at once").isBetween(1, 8);
            assertThat(download.state()).isEqualTo(TransferState.RUNNING);
            download.cancel();
            assertThat(download.stopped().join().connections()).isEqualTo(8);
        }
    }
}
