package io.skylift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.engine.internal.retry.RetryPolicy;
import io.skylift.sandbox.Sandbox;
import io.skylift.testing.FaultProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Transfers survive what networks do: resets, stalls, 500s and 503s injected by a proxy between
 * the engine and the S3 server, and URLs that expire during a slow transfer.
 */
class FaultTest {

    static final int PART = 5 * 1024 * 1024;
    static final Predicate<FaultProxy.RequestHead> PART_PUT = h -> h.method().equals("PUT") && h.query().contains("partNumber");
    // A whole small file sent by the client (the sandbox's own seeding goes through the proxy too).
    static final Predicate<FaultProxy.RequestHead> SINGLE_PUT = h -> h.method().equals("PUT") && h.path().contains("/u/")
            && !h.query().contains("partNumber");
    static final Predicate<FaultProxy.RequestHead> RANGE_GET = h -> h.method().equals("GET") && h.headers().containsKey("range");

    @TempDir
    Path dir;
    ProxiedSandbox proxied;
    FaultProxy s3Proxy;
    FaultProxy apiProxy;
    Sandbox sandbox;
    TransferEngine engine;

    void start(Duration urlTtl) throws IOException {
        start(urlTtl, Duration.ofSeconds(2));
    }

    void start(Duration urlTtl, Duration ioTimeout) throws IOException {
        proxied = ProxiedSandbox.start(dir, urlTtl);
        sandbox = proxied.sandbox;
        s3Proxy = proxied.s3;
        apiProxy = proxied.api;
        engine = proxied.engine(dir.resolve("journal"), 4, PART, ioTimeout);
    }

    @AfterEach
    void stop() {
        if (proxied != null) {
            proxied.close();
        }
    }

    void assertRoundTrip(Path source) throws IOException {
        TransferResult up = engine.upload(source, "faults").getFirst().stopped().join();
        assertThat(up.state()).as(up.reason()).isEqualTo(TransferState.DONE);
        Path out = Files.createDirectories(dir.resolve("out"));
        TransferResult down = engine.download(up.key(), out, IfExists.FAIL).stopped().join();
        assertThat(down.state()).as(down.reason()).isEqualTo(TransferState.DONE);
        assertThat(Files.mismatch(source, out.resolve(source.getFileName()))).isEqualTo(-1);
    }

    @Test
    void resetConnectionsMidPartAndMidRangeAreRetriedAndTheFileArrivesIntact() throws IOException {
        start(Duration.ofSeconds(300));
        Path source = RoundTripTest.randomFile(dir, "reset.bin", 6L * PART + 7, 1);
        s3Proxy.resetNext(3, PART_PUT, PART / 2);
        s3Proxy.resetNext(2, RANGE_GET, 0);

        assertRoundTrip(source);

        assertThat(s3Proxy.faultsInjected()).isEqualTo(5);
    }

    @Test
    void injected500sAnd503sAreRetriedWithBackoff() throws IOException {
        start(Duration.ofSeconds(300));
        Path source = RoundTripTest.randomFile(dir, "busy.bin", 4L * PART + 3, 2);
        s3Proxy.failNext(2, PART_PUT, 503);
        s3Proxy.failNext(2, PART_PUT, 500);
        s3Proxy.failNext(2, RANGE_GET, 503);

        assertRoundTrip(source);

        assertThat(s3Proxy.faultsInjected()).isEqualTo(6);
    }

    @Test
    void aStalledConnectionTimesOutAndThePartIsSentAgain() throws IOException {
        start(Duration.ofSeconds(300));
        Path source = RoundTripTest.randomFile(dir, "stall.bin", 3L * PART + 1, 3);
        s3Proxy.stallNext(1, PART_PUT, Duration.ofSeconds(10));
        s3Proxy.stallNext(1, RANGE_GET, Duration.ofSeconds(10));

        assertRoundTrip(source);

        assertThat(s3Proxy.faultsInjected()).isEqualTo(2);
    }

    @Test
    void urlsThatExpireDuringASlowTransferAreSignedAgainAndTheTransferCompletes() throws IOException {
        // The I/O timeout must outlast a throttled part: the kernel takes a whole part into its socket
        // buffers at once, so the client then waits for the answer while the proxy trickles it on.
        start(Duration.ofSeconds(3), Duration.ofSeconds(20));
        Path source = RoundTripTest.randomFile(dir, "slow.bin", 8L * PART, 4);
        // 8 parts of 5 MiB, 4 at a time, at 8 MiB/s in all: a part takes about 2.5 s, so the URLs
        // signed ahead for parts 5 to 8 are near their 3 s end before those parts start.
        s3Proxy.throttle(8L * 1024 * 1024);

        TransferResult up = engine.upload(source, "slow").getFirst().stopped().join();

        assertThat(up.state()).as(up.reason()).isEqualTo(TransferState.DONE);
        int signCalls = apiProxy.requestsSeen(h -> h.path().endsWith("/parts/sign"));
        System.out.printf("expiring URLs: %d sign calls for 8 parts with 3 s URLs%n", signCalls);
        assertThat(signCalls).as("URLs were signed again as they neared expiry").isGreaterThan(1);
    }

    @Test
    void aPartWhoseUrlIsRefusedAsExpiredGetsANewOneAndTheUploadCompletes() throws IOException {
        start(Duration.ofSeconds(300));
        s3Proxy.failNext(2, PART_PUT, 403);

        assertRoundTrip(RoundTripTest.randomFile(dir, "refused.bin", 4L * PART, 6));

        assertThat(s3Proxy.faultsInjected()).isEqualTo(2);
        assertThat(apiProxy.requestsSeen(h -> h.path().endsWith("/parts/sign"))).as("new URLs were asked for").isGreaterThan(1);
    }

    @Test
    void whenEveryNewUrlIsRefusedAsExpiredTheUploadPausesSayingToCheckTheClockAndResumesLater() throws IOException {
        start(Duration.ofSeconds(300));
        s3Proxy.failNext(1_000, PART_PUT, 403);
        Path source = RoundTripTest.randomFile(dir, "skewed.bin", 4L * PART, 7);

        Transfer upload = engine.upload(source, "skewed").getFirst();
        TransferResult paused = upload.stopped().join();

        assertThat(paused.state()).isEqualTo(TransferState.PAUSED);
        assertThat(paused.reason()).contains("expired", "date and time");
        int signCalls = apiProxy.requestsSeen(h -> h.path().endsWith("/parts/sign"));
        assertThat(signCalls).as("a bounded number of new URLs, not a loop").isLessThanOrEqualTo(4 * (RetryPolicy.MAX_RESIGNS + 1));
        // Resumed once the clock is right: an ordinary expiry is renewed again, the count starts afresh.
        s3Proxy.clearFaults();
        s3Proxy.failNext(4, PART_PUT, 403);
        upload.resume();
        TransferResult done = upload.stopped().join();
        assertThat(done.state()).as(done.reason()).isEqualTo(TransferState.DONE);
    }

    @Test
    void aSignInRefusedDuringADownloadKeepsThePartialSoItResumesAfterSigningInAgain() throws IOException {
        // 3 s URLs: the download asks the service for a new one every two seconds or so.
        start(Duration.ofSeconds(3), Duration.ofSeconds(20));
        Path source = RoundTripTest.randomFile(dir, "archive.tar", 6L * 16 * 1024 * 1024, 8);
        Path out = dir.resolve("archive-tar-out");
        Transfer download = slowDownloadUnderway(source, 20L * 1024 * 1024);

        apiProxy.failNext(1_000, h -> h.path().endsWith("/v1/downloads"), 401);
        TransferResult refused = download.stopped().join();

        assertThat(refused.state()).isEqualTo(TransferState.FAILED);
        assertThat(refused.reason()).contains("Sign in again");
        long size = 6L * 16 * 1024 * 1024;
        long held = engine.unfinished().getFirst().bytesDone();
        assertThat(engine.unfinished()).as("still resumable").singleElement();
        assertThat(held).isGreaterThanOrEqualTo(16L * 1024 * 1024);
        try (var left = Files.list(out)) {
            assertThat(left).as("the partial file is kept").hasSize(1);
        }

        apiProxy.clearFaults();
        s3Proxy.throttleDownloads(0);
        long servedBefore = s3Proxy.bytesReturned();
        download.resume();
        TransferResult done = download.stopped().join();
        assertThat(done.state()).as(done.reason()).isEqualTo(TransferState.DONE);
        assertThat(s3Proxy.bytesReturned() - servedBefore).as("only what was missing, and the two ranges then in flight")
                .isLessThanOrEqualTo(size - held + 2 * 16L * 1024 * 1024);
        assertThat(Files.mismatch(source, out.resolve("archive.tar"))).isEqualTo(-1);
    }

    @Test
    void aPartialFileRemovedWhilePausedIsFetchedAgainNotTrustedFromTheJournal() throws IOException {
        start(Duration.ofSeconds(300), Duration.ofSeconds(20));
        Path source = RoundTripTest.randomFile(dir, "cleaned.tar", 6L * 16 * 1024 * 1024, 9);
        Transfer download = slowDownloadUnderway(source, 40L * 1024 * 1024);
        Path out = dir.resolve("cleaned-tar-out");
        download.pause();
        assertThat(download.stopped().join().state()).isEqualTo(TransferState.PAUSED);
        assertThat(engine.unfinished().getFirst().bytesDone()).as("ranges journaled").isPositive();
        try (var partial = Files.list(out)) {
            for (Path file : partial.toList()) {
                Files.delete(file); // a disk cleaner, or a person tidying up
            }
        }

        s3Proxy.throttleDownloads(0);
        download.resume();
        TransferResult done = download.stopped().join();

        assertThat(done.state()).as(done.reason()).isEqualTo(TransferState.DONE);
        assertThat(Files.mismatch(source, out.resolve("cleaned.tar"))).isEqualTo(-1);
    }

    @Test
    void anObjectReplacedDuringItsDownloadStopsItWithAClearMessageAndLeavesNothingBehind() throws IOException {
        start(Duration.ofSeconds(300), Duration.ofSeconds(20));
        Path source = RoundTripTest.randomFile(dir, "survey.tar", 6L * 16 * 1024 * 1024, 5);
        Path out = dir.resolve("survey-tar-out");
        // The later ranges start well after the replacement.
        Transfer download = slowDownloadUnderway(source, 1024 * 1024);
        Sandbox.Info info = sandbox.info();
        try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1).endpointOverride(info.s3Endpoint()).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(info.s3AccessKey(), info.s3SecretKey())))
                .build()) {
            s3.putObject(b -> b.bucket(Sandbox.BUCKET).key("u/sandbox-photographer/survey-tar/survey.tar"),
                    RequestBody.fromString("a newer version"));
        }
        TransferResult result = download.stopped().join();

        assertThat(result.state()).isEqualTo(TransferState.FAILED);
        assertThat(result.reason()).contains("survey.tar", "was replaced in storage");
        try (var left = Files.list(out)) {
            assertThat(left).as("neither a mix of versions nor a partial file").isEmpty();
        }
        assertThat(engine.unfinished()).as("nothing to resume").isEmpty();
    }

    @Test
    void aSmallFileWhoseAnswerIsLostIsDoneRatherThanRefusedByItsOwnCopy() throws IOException {
        start(Duration.ofSeconds(300));
        Path source = RoundTripTest.randomFile(dir, "proof.jpg", 300 * 1024, 7);
        // The whole body reaches storage, which stores it; its answer never comes back.
        s3Proxy.resetNext(1, SINGLE_PUT, Long.MAX_VALUE);

        assertRoundTrip(source);
        assertThat(s3Proxy.requestsSeen(SINGLE_PUT)).as("sent again after the lost answer").isEqualTo(2);
        assertThat(engine.unfinished()).isEmpty();
    }

    @Test
    void aSmallFileBeatenToItsNameByAnotherSaysADifferentFileIsThere() throws Exception {
        start(Duration.ofSeconds(300), Duration.ofSeconds(20));
        Path source = RoundTripTest.randomFile(dir, "proof.jpg", 300 * 1024, 8);
        s3Proxy.resetNext(1, SINGLE_PUT, Long.MAX_VALUE);
        s3Proxy.stallNext(1, SINGLE_PUT, Duration.ofSeconds(3));
        Transfer upload = engine.upload(source, "raced").getFirst();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (s3Proxy.requestsSeen(SINGLE_PUT) < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        // While the second send is held up, someone else stores another file under the same name.
        Sandbox.Info info = sandbox.info();
        try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1).endpointOverride(info.s3Endpoint()).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(info.s3AccessKey(), info.s3SecretKey())))
                .build()) {
            s3.putObject(b -> b.bucket(Sandbox.BUCKET).key("u/sandbox-photographer/raced/proof.jpg"), RequestBody.fromString("another photo"));
        }
        TransferResult result = upload.stopped().join();

        assertThat(result.state()).isEqualTo(TransferState.FAILED);
        assertThat(result.reason()).contains("A file named 'proof.jpg' is already stored there: another file (13 bytes").doesNotContain("download");
        assertThat(engine.unfinished()).as("nothing to resume").isEmpty();
    }

    @Test
    void anUploadWhoseCompleteIsRacedStartsAgainAndLeavesNoUnfinishedUploadBehind() throws IOException {
        start(Duration.ofSeconds(300));
        Path source = RoundTripTest.randomFile(dir, "shoot.raw", 2L * PART + 1234, 9);
        // S3's answer when another operation races a conditional complete: 409 ConditionalRequestConflict.
        sandbox.storageFaults().conflictOnNextComplete("u/sandbox-photographer/faults/shoot.raw");

        assertRoundTrip(source);
        assertThat(s3Proxy.requestsSeen(PART_PUT)).as("every part sent again for the new upload").isEqualTo(6);
        Sandbox.Info info = sandbox.info();
        try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1).endpointOverride(info.s3Endpoint()).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(info.s3AccessKey(), info.s3SecretKey())))
                .build()) {
            assertThat(s3.listMultipartUploads(b -> b.bucket(Sandbox.BUCKET)).uploads()).as("unfinished uploads").isEmpty();
        }
        assertThat(engine.unfinished()).isEmpty();
    }

    @Test
    void anUploadStoppedJustAfterItsCompleteIsDoneOnResumeNotRefusedByItsOwnFile() throws Exception {
        start(Duration.ofSeconds(300));
        Path source = RoundTripTest.randomFile(dir, "case.tar", 2L * PART + 99, 10);
        Predicate<FaultProxy.RequestHead> complete = h -> h.method().equals("POST") && h.path().endsWith("/complete");
        // The complete reaches the backend, which completes; its answer is lost and every retry refused,
        // until the app stops: storage holds the file, the journal still holds the upload.
        apiProxy.resetNext(1, complete, Long.MAX_VALUE);
        apiProxy.failNext(1_000, complete, 503);
        Transfer upload = engine.upload(source, "kept").getFirst();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (apiProxy.requestsSeen(complete) < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        engine.close();
        assertThat(upload.stopped().join().state()).isEqualTo(TransferState.PAUSED);
        apiProxy.clearFaults();

        engine = proxied.engine(dir.resolve("journal"), 4, PART, Duration.ofSeconds(2));
        List<Transfer> resumed = engine.resumeAll();
        assertThat(resumed).hasSize(1);
        TransferResult result = resumed.getFirst().stopped().join();
        assertThat(result.state()).as(result.reason()).isEqualTo(TransferState.DONE);
        assertThat(engine.unfinished()).isEmpty();
        Path out = Files.createDirectories(dir.resolve("kept-out"));
        TransferResult down = engine.download("u/sandbox-photographer/kept/case.tar", out, IfExists.FAIL).stopped().join();
        assertThat(down.state()).as(down.reason()).isEqualTo(TransferState.DONE);
        assertThat(Files.mismatch(source, out.resolve("case.tar"))).isEqualTo(-1);
    }

    @Test
    void throughAProxyThatSwallows100ContinueAnUploadAsksOnceAndThenSendsAtOnce() throws IOException {
        // A read timeout far longer than the wait for 100 Continue: waiting for it on every part would
        // spend it on every part, and every resend.
        start(Duration.ofSeconds(300), Duration.ofSeconds(10));
        s3Proxy.swallowContinue();
        Path source = RoundTripTest.randomFile(dir, "session.raw", 64L * 1024 * 1024, 11);
        Predicate<FaultProxy.RequestHead> asking = PART_PUT.and(h -> h.headers().containsKey("expect"));

        assertRoundTrip(source);
        assertThat(s3Proxy.requestsSeen(asking)).as("only the first parts, in parallel, asked").isBetween(1, 4);
        assertThat(s3Proxy.requestsSeen(PART_PUT.and(asking.negate()))).as("every part sent without asking")
                .isGreaterThanOrEqualTo(13);
    }

    @Test
    void partsWhoseAnswerIsSlowerThanTheWaitFor100ContinueAreSentOnce() throws IOException {
        // Storage answers every part 3 s after its body: longer than the first asks wait for 100
        // Continue, well within the read timeout. As on a long link, where a large part's answer
        // comes seconds after its last byte leaves, only the wait for 100 Continue is cut short.
        start(Duration.ofSeconds(300), Duration.ofSeconds(10));
        s3Proxy.stallAnswerNext(100, PART_PUT, Duration.ofSeconds(3));
        Path source = RoundTripTest.randomFile(dir, "slow.raw", 2L * PART, 14);

        assertRoundTrip(source);
        assertThat(s3Proxy.requestsSeen(PART_PUT)).as("each part sent once").isEqualTo(2);
    }

    @Test
    void whereThePathRelays100ContinueOnlyThePartsBeforeTheFirstStoredOneAsk() throws IOException {
        start(Duration.ofSeconds(300));
        engine.tune(1, PART, 0);
        Path source = RoundTripTest.randomFile(dir, "frames.raw", 6L * PART, 12);
        Predicate<FaultProxy.RequestHead> asking = PART_PUT.and(h -> h.headers().containsKey("expect"));

        assertRoundTrip(source);
        assertThat(s3Proxy.requestsSeen(asking)).as("the first part asks first, so a refused URL costs no body").isEqualTo(1);
        assertThat(s3Proxy.requestsSeen(PART_PUT)).isEqualTo(6);
    }

    @Test
    void aRangeAnsweredWithOtherBytesIsFetchedAgainNotWrittenIn() throws IOException {
        start(Duration.ofSeconds(300));
        Path source = RoundTripTest.randomFile(dir, "archive.tar", 3L * 16 * 1024 * 1024 + 5, 13);
        TransferResult up = engine.upload(source, "ranges").getFirst().stopped().join();
        assertThat(up.state()).as(up.reason()).isEqualTo(TransferState.DONE);
        // The first range comes back one byte further on: as long as asked, the Content-Range says which.
        s3Proxy.shiftRangeNext(1, RANGE_GET.and(h -> h.headers().get("range").startsWith("bytes=0-")));
        Path out = Files.createDirectories(dir.resolve("ranges-out"));

        TransferResult down = engine.download(up.key(), out, IfExists.FAIL).stopped().join();

        assertThat(down.state()).as(down.reason()).isEqualTo(TransferState.DONE);
        assertThat(s3Proxy.faultsInjected()).isEqualTo(1);
        assertThat(Files.mismatch(source, out.resolve("archive.tar"))).isEqualTo(-1);
    }

    // Uploads the file into a folder named after it ("a.tar" into "a-tar"), then downloads it into
    // "a-tar-out" two 16 MiB ranges at a time at 8 MiB/s; returns once {@code atLeast} bytes arrived.
    Transfer slowDownloadUnderway(Path source, long atLeast) throws IOException {
        String folder = source.getFileName().toString().replace('.', '-');
        Path out = Files.createDirectories(dir.resolve(folder + "-out"));
        TransferResult up = engine.upload(source, folder).getFirst().stopped().join();
        assertThat(up.state()).as(up.reason()).isEqualTo(TransferState.DONE);
        engine.tune(2, PART, 0);
        s3Proxy.throttleDownloads(8L * 1024 * 1024);
        Transfer download = engine.download(up.key(), out, IfExists.FAIL);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (download.progress().bytesDone() < atLeast && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        return download;
    }
}
