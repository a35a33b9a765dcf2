package io.skylift.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skylift.sandbox.Sandbox;
import io.skylift.testing.FaultProxy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The direct route: the AWS transfer manager on the CRT, with credentials from a named profile,
 * against the sandbox's S3 server through a proxy that counts (and can slow) the bytes.
 */
class DirectRouteTest {

    static final long PART = 5L * 1024 * 1024;
    static final int CONCURRENCY = 4;

    @TempDir
    Path dir;
    Sandbox sandbox;
    FaultProxy s3Proxy;
    final List<TransferEngine> engines = new ArrayList<>();

    @BeforeEach
    void startSandbox() throws IOException {
        sandbox = Sandbox.start(new Sandbox.Settings(0, Optional.of(dir.resolve("sandbox")), Duration.ofSeconds(300)));
        s3Proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1", sandbox.info().s3Endpoint().getPort()));
        // The person's ~/.aws, made for the test: a profile holding the sandbox server's keys.
        Path credentials = Files.writeString(dir.resolve("aws-credentials"), "[sandbox]\naws_access_key_id = "
                + sandbox.info().s3AccessKey() + "\naws_secret_access_key = " + sandbox.info().s3SecretKey() + "\n"
                + "[wrong]\naws_access_key_id = AKIAEXAMPLEWRONG\naws_secret_access_key = not-the-secret\n");
        System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        System.setProperty("aws.configFile", Files.writeString(dir.resolve("aws-config"), "").toString());
    }

    @AfterEach
    void stop() throws Exception {
        engines.forEach(TransferEngine::close);
        sandbox.close();
        s3Proxy.close();
        System.clearProperty("aws.sharedCredentialsFile");
        System.clearProperty("aws.configFile");
    }

    TransferEngine engine(String profile) {
        var target = new DirectTarget(sandbox.info().bucket(), profile, "us-east-1", s3Proxy.uri());
        TransferEngine engine = TransferEngine.start(EngineSettings.direct(target, dir.resolve("journal"))
                .withConcurrency(CONCURRENCY).withPartSize(PART));
        engines.add(engine);
        return engine;
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(longs = {0, 1, PART - 1, PART, PART + 1, 3 * PART + 12345})
    void aFileComesBackExactlyAsItWent(long size) throws IOException {
        TransferEngine engine = engine("sandbox");
        Path source = RoundTripTest.randomFile(Files.createDirectories(dir.resolve("src")), "direct-" + size + ".bin", size, size);

        TransferResult up = engine.upload(source, "direct").getFirst().stopped().join();
        assertThat(up.state()).as(up.reason()).isEqualTo(TransferState.DONE);
        assertThat(up.key()).isEqualTo("direct/direct-" + size + ".bin");

        Path out = Files.createDirectories(dir.resolve("out"));
        TransferResult down = engine.download(up.key(), out, IfExists.FAIL).stopped().join();
        assertThat(down.state()).as(down.reason()).isEqualTo(TransferState.DONE);
        assertThat(Files.mismatch(source, out.resolve(source.getFileName()))).isEqualTo(-1);
        assertThat(engine.unfinished()).as("finished transfers leave no journal entry").isEmpty();
        assertThat(engine.list("direct/", true, null).entries()).extracting(RemoteEntry::key).contains(up.key());
    }

    @Test
    void aPausedUploadResumesAndSendsOnlyWhatWasMissing() throws IOException {
        TransferEngine engine = engine("sandbox");
        long size = 12 * PART;
        Path source = RoundTripTest.randomFile(dir, "paused.bin", size, 7);
        Transfer upload = slowUploadUnderway(engine, source, 5 * PART);
        upload.pause();
        assertThat(upload.stopped().join().state()).isEqualTo(TransferState.PAUSED);
        long heldBeforeResume = engine.unfinished().getFirst().bytesDone();
        long sentBeforeResume = s3Proxy.bodyBytesForwarded();
        s3Proxy.throttle(0);

        upload.resume();
        TransferResult done = upload.stopped().join();

        assertThat(done.state()).as(done.reason()).isEqualTo(TransferState.DONE);
        long sentAfterResume = s3Proxy.bodyBytesForwarded() - sentBeforeResume;
        System.out.printf("direct pause/resume: %d of %d bytes held at pause, %d sent after resume%n", heldBeforeResume, size,
                sentAfterResume);
        assertThat(heldBeforeResume).as("the paused state records the parts sent").isGreaterThanOrEqualTo(PART);
        assertThat(done.bytesTransferred()).as("bytes this process says it sent, over both runs")
                .isBetween(size, s3Proxy.bodyBytesForwarded());
        // Parts are signed with checksums, so a part's body is a little larger than the part; allow 1 %.
        assertThat(sentAfterResume).isLessThanOrEqualTo((long) ((size - heldBeforeResume + CONCURRENCY * PART) * 1.01));
        assertSameInStorage(engine, source, "direct/paused.bin");
    }

    @Test
    void aPausedDownloadResumesIntoTheSameFile() throws IOException {
        TransferEngine engine = engine("sandbox");
        long size = 12 * PART;
        Path source = RoundTripTest.randomFile(dir, "big.bin", size, 8);
        assertThat(engine.upload(source, "direct").getFirst().stopped().join().state()).isEqualTo(TransferState.DONE);
        s3Proxy.throttleDownloads(10L * 1024 * 1024);
        Path out = Files.createDirectories(dir.resolve("out"));

        Transfer download = engine.download("direct/big.bin", out, IfExists.FAIL);
        waitUntil(() -> download.progress().bytesDone() >= 3 * PART);
        download.pause();
        assertThat(download.stopped().join().state()).isEqualTo(TransferState.PAUSED);
        assertThat(out.resolve("big.bin")).as("nothing half-done under the real name").doesNotExist();
        long returnedBeforeResume = s3Proxy.bytesReturned();
        long heldBeforeResume = engine.unfinished().getFirst().bytesDone();
        s3Proxy.throttleDownloads(0);

        download.resume();
        TransferResult done = download.stopped().join();

        assertThat(done.state()).as(done.reason()).isEqualTo(TransferState.DONE);
        long returnedAfterResume = s3Proxy.bytesReturned() - returnedBeforeResume;
        System.out.printf("direct download pause/resume: %d of %d bytes held at pause, %d received after resume%n",
                heldBeforeResume, size, returnedAfterResume);
        assertThat(Files.mismatch(source, out.resolve("big.bin"))).isEqualTo(-1);
        // The resume fetches from where the file's written prefix ends; answers carry their heads.
        assertThat(returnedAfterResume).isBetween(size - heldBeforeResume, size - heldBeforeResume + 1024 * 1024L);
    }

    @Test
    void progressCountsBytesThatReachedTheServerNotBytesBuffered() throws IOException {
        TransferEngine engine = engine("sandbox");
        Path source = RoundTripTest.randomFile(dir, "progress.bin", 12 * PART, 9);
        s3Proxy.throttle(8L * 1024 * 1024);
        List<long[]> samples = new CopyOnWriteArrayList<>();

        Transfer upload = engine.upload(source, "direct").getFirst();
        while (!upload.state().isTerminal()) {
            long reported = upload.progress().bytesDone();
            // Read after the progress: the proxy's count can only have grown since.
            samples.add(new long[] {reported, s3Proxy.bodyBytesForwarded()});
            sleep(100);
        }

        assertThat(upload.stopped().join().state()).isEqualTo(TransferState.DONE);
        long worst = samples.stream().mapToLong(s -> s[0] - s[1]).max().orElseThrow();
        System.out.printf("direct progress: %d samples, reported at most %d bytes ahead of the server%n", samples.size(), worst);
        assertThat(samples.stream().filter(s -> s[0] > 0 && s[0] < 12 * PART)).as("progress moved during the upload").isNotEmpty();
        assertThat(worst).as("progress never ran ahead of the bytes the server got").isLessThanOrEqualTo(0);
    }

    @Test
    void aFileChangedWhilePausedIsRefusedNotUploadedAsAMix() throws IOException {
        TransferEngine engine = engine("sandbox");
        Path source = RoundTripTest.randomFile(dir, "changing.bin", 12 * PART, 10);
        Transfer upload = slowUploadUnderway(engine, source, PART);
        upload.pause();
        upload.stopped().join();
        s3Proxy.throttle(0);
        try (var file = new java.io.RandomAccessFile(source.toFile(), "rw")) {
            file.seek(2 * PART);
            file.write("edited".getBytes());
        }

        upload.resume();
        TransferResult result = upload.stopped().join();

        assertThat(result.state()).isEqualTo(TransferState.FAILED);
        assertThat(result.reason()).contains("changed since the upload began");
        assertThat(engine.list("direct/", true, null).entries()).as("nothing stored under the name").isEmpty();
        assertThat(engine.unfinished()).isEmpty();
    }

    @Test
    void whenStorageKeepsFailingTheUploadPausesResumablyAndFinishesLater() throws IOException {
        TransferEngine engine = engine("sandbox");
        Path source = RoundTripTest.randomFile(dir, "outage.bin", 6 * PART, 12);
        s3Proxy.failNext(100_000, h -> h.method().equals("PUT"), 503);

        Transfer upload = engine.upload(source, "direct").getFirst();
        TransferResult stopped = upload.stopped().join();

        assertThat(stopped.state()).isEqualTo(TransferState.PAUSED);
        assertThat(stopped.reason()).contains("S3 is busy or unavailable").contains("can be resumed");
        assertThat(engine.unfinished()).extracting(UnfinishedTransfer::name).containsExactly("outage.bin");

        s3Proxy.clearFaults();
        upload.resume();
        TransferResult done = upload.stopped().join();
        assertThat(done.state()).as(done.reason()).isEqualTo(TransferState.DONE);
        assertSameInStorage(engine, source, "direct/outage.bin");
    }

    @Test
    void aCancelledUploadLeavesNothingInTheBucket() throws IOException {
        TransferEngine engine = engine("sandbox");
        Path source = RoundTripTest.randomFile(dir, "cancelled.bin", 12 * PART, 13);
        Path before = Files.copy(source, dir.resolve("cancelled.before"));
        Transfer upload = slowUploadUnderway(engine, source, 2 * PART);

        upload.cancel();

        assertThat(upload.stopped().join().state()).isEqualTo(TransferState.CANCELLED);
        try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1).endpointOverride(sandbox.info().s3Endpoint()).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(sandbox.info().s3AccessKey(),
                        sandbox.info().s3SecretKey()))).build()) {
            assertThat(s3.listMultipartUploads(b -> b.bucket(sandbox.info().bucket()).prefix("direct/")).uploads())
                    .as("the multipart upload was aborted").isEmpty();
            assertThat(s3.listObjectsV2(b -> b.bucket(sandbox.info().bucket()).prefix("direct/")).contents()).isEmpty();
        }
        assertThat(engine.unfinished()).isEmpty();
        assertThat(Files.mismatch(source, before)).as("the local file is untouched").isEqualTo(-1);
    }

    @Test
    void aFullDiskDuringADownloadLeavesAResumablePartialThatCompletesOnceThereIsRoom() throws Exception {
        TransferEngine engine = engine("sandbox");
        Path small = Files.createDirectories(dir.resolve("small-disk"));
        BadInputTest.mountSmallDisk(small);
        try {
            Path source = RoundTripTest.randomFile(dir, "big-archive.zip", 6 * PART, 14);
            assertThat(engine.upload(source, "archive").getFirst().stopped().join().state()).isEqualTo(TransferState.DONE);

            BadInputTest.assertAFullDiskPausesItAndRoomLetsItFinish(engine,
                    engine.download("archive/big-archive.zip", small, IfExists.FAIL), small, source);
        } finally {
            BadInputTest.run("umount", small.toString());
        }
    }

    @Test
    void aFileDeletedDuringTheUploadIsReportedAndNothingIsKept() throws IOException {
        TransferEngine engine = engine("sandbox");
        Path source = RoundTripTest.randomFile(dir, "deleted.bin", 12 * PART, 15);
        Transfer upload = slowUploadUnderway(engine, source, PART);

        Files.delete(source);
        s3Proxy.throttle(0);
        TransferResult result = upload.stopped().join();

        assertThat(result.state()).isEqualTo(TransferState.FAILED);
        assertThat(result.reason()).contains("deleted.bin").containsAnyOf("was deleted during the upload", "changed since the upload began");
        assertThat(engine.list("direct/", true, null).entries()).isEmpty();
        assertThat(engine.unfinished()).isEmpty();
    }

    @Test
    void aFileChangedDuringTheUploadIsRefusedAndNothingIsKept() throws IOException {
        TransferEngine engine = engine("sandbox");
        Path source = RoundTripTest.randomFile(dir, "edited.bin", 12 * PART, 16);
        Transfer upload = slowUploadUnderway(engine, source, PART);

        try (var file = new java.io.RandomAccessFile(source.toFile(), "rw")) {
            file.seek(PART / 2);
            file.write("retouched".getBytes());
        }
        s3Proxy.throttle(0);
        TransferResult result = upload.stopped().join();

        assertThat(result.state()).isEqualTo(TransferState.FAILED);
        assertThat(result.reason()).contains("edited.bin changed since the upload began");
        assertThat(engine.list("direct/", true, null).entries()).as("no mix of old and new stored").isEmpty();
        assertThat(engine.unfinished()).isEmpty();
    }

    @Test
    void anExistingFileIsNotOverwritten() throws IOException {
        TransferEngine engine = engine("sandbox");
        Path source = RoundTripTest.randomFile(dir, "taken.bin", 100, 11);
        assertThat(engine.upload(source, "direct").getFirst().stopped().join().state()).isEqualTo(TransferState.DONE);

        TransferResult again = engine.upload(source, "direct").getFirst().stopped().join();

        assertThat(again.state()).isEqualTo(TransferState.FAILED);
        assertThat(again.reason()).contains("s3://" + sandbox.info().bucket() + "/direct/taken.bin already exists");
        assertThat(engine.unfinished()).isEmpty();
    }

    @Test
    void aFolderComesDownAsTheSameTreeAndAgainFetchesNothing() throws IOException {
        TransferEngine engine = engine("sandbox");
        Path shoot = Files.createDirectories(dir.resolve("src").resolve("shoot"));
        RoundTripTest.randomFile(Files.createDirectories(shoot.resolve("raw")), "IMG_1.CR3", 3 * PART + 5, 1);
        RoundTripTest.randomFile(shoot, "notes.txt", 700, 2);
        RoundTripTest.randomFile(shoot, ".sidecar", 10, 3);
        engine.upload(shoot, "direct").forEach(t -> assertThat(t.stopped().join().state()).isEqualTo(TransferState.DONE));
        Path out = Files.createDirectories(dir.resolve("out"));

        List<TransferResult> first = engine.download(List.of("direct/shoot/"), out, IfExists.FAIL).stream().map(t -> t.stopped().join()).toList();
        List<TransferResult> again = engine.download(List.of("direct/shoot/"), out, IfExists.FAIL).stream().map(t -> t.stopped().join()).toList();

        assertThat(first).hasSize(3).allSatisfy(r -> assertThat(r.state()).as(r.reason()).isEqualTo(TransferState.DONE));
        for (String below : List.of("raw/IMG_1.CR3", "notes.txt", ".sidecar")) {
            assertThat(Files.mismatch(out.resolve("shoot").resolve(below), shoot.resolve(below))).as(below).isEqualTo(-1);
        }
        assertThat(again).hasSize(3).allSatisfy(r -> {
            assertThat(r.state()).as(r.reason()).isEqualTo(TransferState.DONE);
            assertThat(r.skipped()).isEqualTo(TransferResult.SKIPPED_IDENTICAL);
            assertThat(r.bytesTransferred()).isZero();
        });
    }

    @Test
    void deletingMovingAndRestoringAreRefusedSayingTheyNeedTheApi() {
        RemoteFiles files = engine("sandbox").files();

        assertThatThrownBy(() -> files.delete(List.of("direct/a.txt"))).isInstanceOf(TransferException.class).hasMessageContaining("Skylift API");
        assertThatThrownBy(() -> files.move("direct/a.txt", "direct/b.txt")).isInstanceOf(TransferException.class).hasMessageContaining("direct mode");
    }

    @Test
    void wrongCredentialsSayWhichProfileWasRefusedAndWhatToDo() {
        TransferEngine engine = engine("wrong");

        assertThatThrownBy(engine::account)
                .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.reason()).isEqualTo(TransferException.Reason.UNAUTHORIZED))
                .hasMessageContaining("the profile 'wrong'")
                .hasMessageContaining("InvalidAccessKeyId")
                .hasMessageNotContaining("not-the-secret");
    }

    @Test
    void aMissingProfileSaysWhereItLookedAndWhatToDo() {
        TransferEngine engine = engine("nobody");

        assertThatThrownBy(engine::account)
                .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.reason()).isEqualTo(TransferException.Reason.UNAUTHORIZED))
                .hasMessageContaining("No AWS credentials found")
                .hasMessageContaining("the profile 'nobody' in ~/.aws/config and ~/.aws/credentials")
                .hasMessageContaining("aws sso login --profile nobody");
    }

    @Test
    void theRightCredentialsSignIn() {
        assertThat(engine("sandbox").account().roles()).containsExactly("direct");
    }

    void assertSameInStorage(TransferEngine engine, Path source, String key) throws IOException {
        Path out = Files.createDirectories(dir.resolve("check"));
        TransferResult down = engine.download(key, out, IfExists.FAIL).stopped().join();
        assertThat(down.state()).as(down.reason()).isEqualTo(TransferState.DONE);
        assertThat(Files.mismatch(source, out.resolve(source.getFileName()))).isEqualTo(-1);
    }

    @Test
    void aServerWithoutRestoreStatusInListingsStillListsAndIsNotAskedForItAgain() {
        try (var bucket = io.skylift.testing.SandboxBucket.client(sandbox)) {
            bucket.putObject(b -> b.bucket(sandbox.info().bucket()).key("plain/a.txt"),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("a"));
        }
        java.util.function.Predicate<FaultProxy.RequestHead> asksRestoreStatus =
                h -> h.headers().containsKey("x-amz-optional-object-attributes");
        s3Proxy.failNext(100, asksRestoreStatus, 501);
        TransferEngine engine = engine("sandbox");

        List<RemoteEntry> first = engine.list("plain/", false, null).entries();
        int asked = s3Proxy.requestsSeen(asksRestoreStatus);
        List<RemoteEntry> again = engine.list("plain/", true, null).entries();

        assertThat(first).extracting(RemoteEntry::key).containsExactly("plain/a.txt");
        assertThat(again).extracting(RemoteEntry::key).containsExactly("plain/a.txt");
        assertThat(asked).as("asked with RestoreStatus before the 501").isPositive();
        assertThat(s3Proxy.requestsSeen(asksRestoreStatus)).as("never asked with it again").isEqualTo(asked);
    }

    /** An upload through a proxy slowed to 10 MiB/s, once it has sent {@code bytesDone}. */
    Transfer slowUploadUnderway(TransferEngine engine, Path source, long bytesDone) {
        s3Proxy.throttle(10L * 1024 * 1024);
        Transfer upload = engine.upload(source, "direct").getFirst();
        waitUntil(() -> upload.progress().bytesDone() >= bytesDone);
        return upload;
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s").isLessThan(deadline);
            sleep(20);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
