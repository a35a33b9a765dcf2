package io.skylift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skylift.sandbox.Sandbox;
import io.skylift.testing.RandomFile;
import io.skylift.testing.SandboxBucket;
import java.io.IOException;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What a person does after a crash in the middle of a folder: {@code kill -9}, then
 * {@code skylift resume --all}, then the same {@code skylift upload} again, unsure what got through.
 * Every file ends stored once with its bytes, nothing stored is sent again, and no unfinished
 * multipart upload is left behind.
 */
class FolderCrashResumeIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int SMALL_FILES = 1200;
    static final long BIG = 48L * 1024 * 1024;
    static final String PREFIX = "u/sandbox-photographer/crash/shoot/";

    @TempDir
    static Path dir;
    static Sandbox sandbox;
    static S3Client bucket;
    static Path shoot;
    static Map<String, String> env;

    @BeforeAll
    static void start() throws IOException {
        sandbox = Sandbox.start(new Sandbox.Settings(0, Optional.of(dir.resolve("sandbox")), Duration.ofSeconds(300)));
        bucket = SandboxBucket.client(sandbox);
        shoot = Files.createDirectories(dir.resolve("shoot"));
        for (int i = 0; i < SMALL_FILES; i++) {
            RandomFile.write(Files.createDirectories(shoot.resolve("day" + i % 3)), "IMG_%05d.jpg".formatted(i), 8 * 1024 + i, i);
        }
        RandomFile.write(shoot, "clip-a.mp4", BIG, 1);
        RandomFile.write(shoot, "clip-b.mp4", BIG + 17, 2);
        env = Map.of("SKYLIFT_API", sandbox.info().api().toString(), "SKYLIFT_TOKEN", sandbox.info().photographerToken(),
                "SKYLIFT_DATA_DIR", dir.resolve("data").toString());
    }

    @AfterAll
    static void stop() {
        bucket.close();
        sandbox.close();
    }

    static List<JsonNode> jsonLines(SkyliftProcess process) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line; (line = process.readLine()) != null; ) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    // Killed once a big file's multipart upload has parts stored and is not finished: mid-folder, mid-file.
    // Its part log (one line per part, beside its entry) is read, not the whole journal: a fast look.
    static void awaitPartWay(SkyliftProcess running) throws Exception {
        Path journal = dir.resolve("data").resolve("transfers");
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(journal)) {
                try (Stream<Path> files = Files.list(journal)) {
                    for (Path log : files.filter(f -> f.toString().endsWith(".parts")).toList()) {
                        try {
                            if (Files.readAllLines(log).size() >= 2) {
                                return;
                            }
                        } catch (java.nio.file.NoSuchFileException gone) {
                            // folded into its entry meanwhile
                        }
                    }
                }
            }
            Thread.sleep(2);
        }
        throw new AssertionError("no multipart upload got part way in time; stderr:\n" + running.stderr());
    }

    @Test
    void killedPartWayThenResumedThenRunAgainEveryFileIsStoredOnceAndNothingIsSentTwice() throws Exception {
        String[] upload = {"upload", shoot.toString(), "--to", "crash", "--json", "--part-size", "5MiB", "--concurrency", "4"};
        try (var first = SkyliftProcess.start(env, upload)) {
            awaitPartWay(first);
            first.kill();
        }
        Map<String, Long> storedAtKill = stored();
        assertThat(storedAtKill.size()).as("killed before the folder was done").isLessThan(SMALL_FILES + 2);

        List<JsonNode> resumed;
        try (var resume = SkyliftProcess.start(env, "resume", "--all", "--json")) {
            resumed = jsonLines(resume);
            assertThat(resume.waitFor(Duration.ofMinutes(3))).as(resume.stderr()).isZero();
        }
        assertThat(resumed).as("the unfinished big files were resumed").isNotEmpty()
                .allSatisfy(line -> assertThat(line.get("state").asText()).isEqualTo("done"));
        // A file stored just before the kill, its journal entry not yet gone, is found identical, not sent.
        assertNothingSentAgain(resumed, storedAtKill);

        Map<String, Long> storedBeforeRerun = stored();
        List<JsonNode> again;
        try (var rerun = SkyliftProcess.start(env, upload)) {
            again = jsonLines(rerun);
            assertThat(rerun.waitFor(Duration.ofMinutes(5))).as(rerun.stderr()).isZero();
        }
        assertThat(again).hasSize(SMALL_FILES + 2).allSatisfy(line -> assertThat(line.get("state").asText()).isEqualTo("done"));
        assertNothingSentAgain(again, storedBeforeRerun);

        Map<String, Long> stored = stored();
        assertThat(stored).as("every file stored once, under its own name").hasSize(SMALL_FILES + 2);
        try (Stream<Path> files = Files.walk(shoot)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String key = PREFIX + shoot.relativize(file).toString().replace('\\', '/');
                byte[] bytes = bucket.getObject(b -> b.bucket(Sandbox.BUCKET).key(key), ResponseTransformer.toBytes()).asByteArray();
                assertThat(Files.mismatch(file, writeTemp(bytes))).as(key + " holds the file's bytes").isEqualTo(-1);
            }
        }
        assertThat(bucket.listMultipartUploads(b -> b.bucket(Sandbox.BUCKET)).uploads()).as("no unfinished multipart upload").isEmpty();
        System.out.printf("folder crash: %d of %d files stored at the kill; resume finished %d; the run again sent %d bytes%n",
                storedAtKill.size(), SMALL_FILES + 2, resumed.size(),
                again.stream().mapToLong(l -> l.get("bytesTransferred").asLong()).sum());
    }

    static void assertNothingSentAgain(List<JsonNode> lines, Map<String, Long> alreadyStored) {
        for (JsonNode line : lines) {
            String key = line.get("key").asText();
            if (alreadyStored.containsKey(key)) {
                assertThat(line.get("bytesTransferred").asLong()).as("bytes sent again for " + key).isZero();
                assertThat(line.path("skipped").asText()).as(key).isEqualTo("identical");
            }
        }
    }

    static Path writeTemp(byte[] bytes) throws IOException {
        return Files.write(dir.resolve("compare.bin"), bytes);
    }

    static Map<String, Long> stored() {
        Map<String, Long> stored = new HashMap<>();
        for (S3Object object : bucket.listObjectsV2Paginator(b -> b.bucket(Sandbox.BUCKET).prefix(PREFIX)).contents()) {
            stored.put(object.key(), object.size());
        }
        return stored;
    }
}
