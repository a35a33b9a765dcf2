package io.skylift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.skylift.sandbox.Sandbox;
import io.skylift.testing.FaultProxy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * Direct mode as a script uses it: `skylift --bucket --profile --endpoint` against the sandbox's S3
 * with a profile holding its keys. A process killed with SIGKILL half way through an upload is
 * finished by `skylift resume --all`, which sends only the parts the bucket lacks (counted by a
 * proxy in front of S3); a download killed the same way, or stopped with Ctrl-C, resumes fetching
 * only what is missing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DirectCrashResumeIT {

    static final long SIZE = 512L * 1024 * 1024;
    static final long PART = 8L * 1024 * 1024;
    static final int CONCURRENCY = 4;
    static final String KEY = "direct-crash/archive-512mib.bin";

    @TempDir
    static Path dir;
    static Sandbox sandbox;
    static FaultProxy s3Proxy;
    static Path source;
    static Map<String, String> env;

    @BeforeAll
    static void start() throws IOException {
        sandbox = Sandbox.start(new Sandbox.Settings(0, Optional.of(dir.resolve("sandbox")), Duration.ofSeconds(300)));
        s3Proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1", sandbox.info().s3Endpoint().getPort()));
        source = dir.resolve("archive-512mib.bin");
        CrashResumeIT.writeRandom(source, SIZE);
        Path credentials = Files.writeString(dir.resolve("aws-credentials"), "[sandbox]\naws_access_key_id = "
                + sandbox.info().s3AccessKey() + "\naws_secret_access_key = " + sandbox.info().s3SecretKey() + "\n");
        env = new HashMap<>(Map.of("SKYLIFT_DATA_DIR", dir.resolve("data").toString(),
                "AWS_SHARED_CREDENTIALS_FILE", credentials.toString(),
                "AWS_CONFIG_FILE", Files.writeString(dir.resolve("aws-config"), "").toString(),
                "AWS_EC2_METADATA_DISABLED", "true"));
    }

    @AfterAll
    static void stop() throws IOException {
        s3Proxy.close();
        sandbox.close();
    }

    static String[] direct(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bucket", Sandbox.BUCKET, "--profile", "sandbox", "--region", "us-east-1",
                "--endpoint", s3Proxy.uri().toString(), "--json", "--concurrency", String.valueOf(CONCURRENCY), "--part-size", "8MiB"));
        return all.toArray(String[]::new);
    }

    static S3Client s3() {
        return SandboxCommandIT.s3(CrashResumeIT.JSON.valueToTree(sandbox.info()));
    }

    static long bytesHeld(S3Client s3) {
        List<MultipartUpload> uploads = s3.listMultipartUploads(b -> b.bucket(Sandbox.BUCKET).prefix(KEY)).uploads();
        if (uploads.isEmpty()) {
            return 0;
        }
        return s3.listParts(b -> b.bucket(Sandbox.BUCKET).key(KEY).uploadId(uploads.getFirst().uploadId())).parts().stream()
                .mapToLong(Part::size).sum();
    }

    // Parts the server had fully received when the client died are still being stored for a moment.
    static long settledBytesHeld(S3Client s3) throws InterruptedException {
        long before;
        long now = bytesHeld(s3);
        do {
            Thread.sleep(500);
            before = now;
            now = bytesHeld(s3);
        } while (now != before);
        return now;
    }

    @Test
    @Order(1)
    void anUploadKilledHalfWayResumesSendingOnlyWhatTheBucketLacks() throws Exception {
        long held;
        try (S3Client s3 = s3()) {
            try (var upload = SkyliftProcess.start(env, direct("upload", source.toString(), "--to", "direct-crash"))) {
                awaitHalfWay(() -> bytesHeld(s3), upload);
                upload.kill();
            }
            held = settledBytesHeld(s3);
        }
        assertThat(held).as("killed before the end").isLessThan(SIZE);
        try (var transfers = SkyliftProcess.start(env, "transfers")) {
            String line = transfers.readLine();
            assertThat(transfers.waitFor(Duration.ofMinutes(1))).isZero();
            assertThat(line).as("`skylift transfers` lists it with its bucket").contains("upload").contains(source.toString())
                    .contains("[s3://" + Sandbox.BUCKET + "@127.0.0.1:" + s3Proxy.port() + "]");
        }
        long forwardedBefore = s3Proxy.bodyBytesForwarded();

        JsonNode result = resumeAll();

        long sent = s3Proxy.bodyBytesForwarded() - forwardedBefore;
        System.out.printf("direct crash resume (upload): %d of %d bytes held by the bucket at the kill; the resume sent %d%n",
                held, SIZE, sent);
        assertThat(result.get("state").asText()).isEqualTo("done");
        assertThat(result.get("key").asText()).isEqualTo(KEY);
        // Part bodies carry a little framing for their checksums: 1 % over the parts' own bytes.
        assertThat(sent).isBetween(SIZE - held, (long) ((SIZE - held + CONCURRENCY * PART) * 1.01));
        assertThat(result.get("bytesTransferred").asLong()).as("what the process says it sent").isBetween(SIZE - held, sent);
        Path copy = dir.resolve("stored-copy.bin");
        try (S3Client s3 = s3()) {
            s3.getObject(b -> b.bucket(Sandbox.BUCKET).key(KEY), copy);
        }
        assertThat(Files.mismatch(copy, source)).as("the object equals the file").isEqualTo(-1);
        Files.delete(copy);
    }

    @Test
    @Order(2)
    void aDownloadKilledHalfWayResumesFetchingOnlyWhatIsMissing() throws Exception {
        Path out = Files.createDirectories(dir.resolve("killed"));
        s3Proxy.throttleDownloads(64L * 1024 * 1024);
        try (var download = SkyliftProcess.start(env, direct("download", KEY, "--out", out.toString()))) {
            awaitHalfWay(() -> partialSize(out), download);
            download.kill();
        }
        long held = partialSize(out);
        s3Proxy.throttleDownloads(0);
        long returnedAtResume = s3Proxy.bytesReturned();

        JsonNode result = resumeAll();

        long fetched = s3Proxy.bytesReturned() - returnedAtResume;
        System.out.printf("direct crash resume (download): %d of %d bytes on disk at the kill; the resume fetched %d%n",
                held, SIZE, fetched);
        assertThat(result.get("state").asText()).isEqualTo("done");
        // The last 8 MiB on disk are fetched again in case the final write was cut short; answers carry heads.
        assertThat(fetched).isBetween(SIZE - held, SIZE - held + 9 * 1024 * 1024L);
        assertThat(result.get("bytesTransferred").asLong()).as("what the process says it fetched").isBetween(SIZE - held, fetched);
        assertThat(Files.mismatch(out.resolve("archive-512mib.bin"), source)).isEqualTo(-1);
        try (Stream<Path> left = Files.list(out)) {
            assertThat(left).as("no partial file left beside it").hasSize(1);
        }
    }

    /** What a process on the sandbox's S3 has done so far; may read the bucket or the disk. */
    interface Progress {
        long bytes() throws IOException;
    }

    static void awaitHalfWay(Progress progress, SkyliftProcess running) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (progress.bytes() < SIZE / 2) {
            assertThat(System.nanoTime()).as("half way in time; stderr:\n" + running.stderr()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** `skylift resume --all` in direct mode: its last JSON line, once it exited 0. */
    static JsonNode resumeAll() throws Exception {
        try (var resume = SkyliftProcess.start(env, direct("resume", "--all"))) {
            JsonNode result = CrashResumeIT.lastJsonLine(resume);
            assertThat(resume.waitFor(Duration.ofMinutes(3))).as(resume.stderr()).isZero();
            return result;
        }
    }

    static long partialSize(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".part")).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    @Test
    @Order(3)
    void aDownloadStoppedWithCtrlCResumesFetchingOnlyWhatIsMissing() throws Exception {
        Path out = Files.createDirectories(dir.resolve("downloads"));
        s3Proxy.throttleDownloads(64L * 1024 * 1024);
        long returnedBefore = s3Proxy.bytesReturned();
        try (var download = SkyliftProcess.start(env, direct("download", KEY, "--out", out.toString()))) {
            awaitHalfWay(() -> s3Proxy.bytesReturned() - returnedBefore, download);
            download.interrupt();
            assertThat(download.waitFor(Duration.ofSeconds(60))).as(download.stderr()).isEqualTo(3);
            assertThat(download.stderr()).contains("skylift resume --all --bucket " + Sandbox.BUCKET + " --profile sandbox");
        }
        s3Proxy.throttleDownloads(0);
        long fetchedBefore = s3Proxy.bytesReturned() - returnedBefore;
        long returnedAtResume = s3Proxy.bytesReturned();

        JsonNode result = resumeAll();

        long fetched = s3Proxy.bytesReturned() - returnedAtResume;
        System.out.printf("direct Ctrl-C resume (download): %d of %d bytes fetched before; the resume fetched %d%n",
                fetchedBefore, SIZE, fetched);
        assertThat(result.get("state").asText()).isEqualTo("done");
        assertThat(fetched).isLessThanOrEqualTo(SIZE - fetchedBefore + 2 * CONCURRENCY * PART);
        assertThat(Files.mismatch(out.resolve("archive-512mib.bin"), source)).isEqualTo(-1);
        try (Stream<Path> left = Files.list(out)) {
            assertThat(left).as("no partial file left beside it").hasSize(1);
        }
    }
}
