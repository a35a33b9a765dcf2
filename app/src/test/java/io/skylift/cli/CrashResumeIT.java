package io.skylift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skylift.sandbox.Sandbox;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real `skylift` process is killed with SIGKILL half way through a 1 GiB transfer; `skylift resume
 * --all` finishes it, sends only what storage does not hold yet, and the result equals the source.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashResumeIT {

    static final long SIZE = 1024L * 1024 * 1024;
    static final int CONCURRENCY = 4;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Sandbox sandbox;
    static Path source;
    static Map<String, String> env;

    @BeforeAll
    static void start() throws IOException {
        sandbox = Sandbox.start(new Sandbox.Settings(0, Optional.of(dir.resolve("sandbox")), Duration.ofSeconds(300)));
        source = dir.resolve("archive-1gib.bin");
        writeRandom(source, SIZE);
        env = Map.of("SKYLIFT_API", sandbox.info().api().toString(), "SKYLIFT_TOKEN", sandbox.info().photographerToken(),
                "SKYLIFT_DATA_DIR", dir.resolve("data").toString());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    static void writeRandom(Path file, long size) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        ByteBuffer buffer = ByteBuffer.allocate(8 * 1024 * 1024);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long written = 0; written < size; written += buffer.capacity()) {
                buffer.clear();
                while (buffer.hasRemaining()) {
                    buffer.putLong(random.nextLong());
                }
                buffer.flip();
                out.write(buffer);
            }
        }
    }

    /** The one journal entry, once {@code ready} says it has progressed far enough. */
    static JsonNode awaitJournal(ToIntFunction<JsonNode> progress, int atLeast, SkyliftProcess running) throws Exception {
        Path journal = dir.resolve("data").resolve("transfers");
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            // Read as the engine reads it: each entry with the parts its log has recorded since.
            for (var entry : new io.skylift.engine.internal.journal.Journal(journal).all()) {
                JsonNode tree = io.skylift.json.Json.STORED.valueToTree(entry);
                if (progress.applyAsInt(tree) >= atLeast) {
                    return tree;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the transfer did not get half way in time; stderr:\n" + running.stderr());
    }

    static JsonNode lastJsonLine(SkyliftProcess process) throws Exception {
        JsonNode last = null;
        for (String line; (line = process.readLine()) != null; ) {
            last = JSON.readTree(line);
        }
        return last;
    }

    // A part whose body had fully arrived when the client died is still being stored for a moment;
    // it counts as held (the resume skips it), so the count is read once it stops growing.
    static long settledBytesHeldByStorage(String uploadId) throws Exception {
        long held = bytesHeldByStorage(uploadId);
        for (int i = 0; i < 20; i++) {
            Thread.sleep(250);
            long now = bytesHeldByStorage(uploadId);
            if (now == held) {
                return held;
            }
            held = now;
        }
        return held;
    }

    static long bytesHeldByStorage(String uploadId) throws IOException {
        OkHttpClient http = new OkHttpClient();
        long held = 0;
        String cursor = null;
        do {
            var url = okhttp3.HttpUrl.get(sandbox.info().api() + "/v1/uploads/" + uploadId + "/parts").newBuilder();
            if (cursor != null) {
                url.addQueryParameter("cursor", cursor);
            }
            try (Response response = http.newCall(new Request.Builder().url(url.build())
                    .header("Authorization", "Bearer " + sandbox.info().photographerToken()).build()).execute()) {
                JsonNode page = JSON.readTree(response.body().string());
                for (JsonNode part : page.get("parts")) {
                    held += part.get("size").asLong();
                }
                cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            }
        } while (cursor != null);
        return held;
    }

    @Test
    @Order(1)
    void anUploadKilledHalfWayResumesSendingOnlyWhatStorageLacks() throws Exception {
        JsonNode atKill;
        try (var upload = SkyliftProcess.start(env, "upload", source.toString(), "--to", "crash", "--json",
                "--concurrency", String.valueOf(CONCURRENCY))) {
            atKill = awaitJournal(e -> e.path("sentParts").size(), 32, upload);
            upload.kill();
        }
        int partCount = atKill.get("partCount").asInt();
        long partSize = atKill.get("partSize").asLong();
        assertThat(atKill.get("sentParts").size()).as("killed before the end").isLessThan(partCount);
        long held = settledBytesHeldByStorage(atKill.get("uploadId").asText());

        JsonNode result;
        try (var resume = SkyliftProcess.start(env, "resume", "--all", "--json", "--concurrency", String.valueOf(CONCURRENCY))) {
            result = lastJsonLine(resume);
            assertThat(resume.waitFor(Duration.ofMinutes(3))).as(resume.stderr()).isZero();
        }

        long sent = result.get("bytesTransferred").asLong();
        System.out.printf("crash resume (upload): %d of %d bytes held by storage at the kill; the resume sent %d%n", held, SIZE, sent);
        assertThat(result.get("state").asText()).isEqualTo("done");
        assertThat(sent).isBetween(SIZE - held, SIZE - held + CONCURRENCY * partSize);
        Path copy = dir.resolve("stored-copy.bin");
        try (var s3 = SandboxCommandIT.s3(JSON.valueToTree(sandbox.info()))) {
            s3.getObject(b -> b.bucket(Sandbox.BUCKET).key("u/sandbox-photographer/crash/archive-1gib.bin"), copy);
        }
        assertThat(Files.mismatch(copy, source)).as("the object equals the file").isEqualTo(-1);
        Files.delete(copy);
    }

    @Test
    @Order(2)
    void aDownloadKilledHalfWayResumesFetchingOnlyWhatIsMissing() throws Exception {
        Path out = Files.createDirectories(dir.resolve("downloads"));
        JsonNode atKill;
        try (var download = SkyliftProcess.start(env, "download", "u/sandbox-photographer/crash/archive-1gib.bin", "--out",
                out.toString(), "--json", "--concurrency", String.valueOf(CONCURRENCY))) {
            awaitJournal(e -> e.path("doneRanges").size(), 32, download);
            download.kill();
            // Read again once it is dead: ranges journaled between the first read and the kill are held too.
            atKill = awaitJournal(e -> e.path("doneRanges").size(), 32, download);
        }
        long rangeSize = atKill.get("rangeSize").asLong();
        long held = atKill.get("doneRanges").size() * rangeSize;
        assertThat(held).isLessThan(SIZE);

        JsonNode result;
        try (var resume = SkyliftProcess.start(env, "resume", "--all", "--json", "--concurrency", String.valueOf(CONCURRENCY))) {
            result = lastJsonLine(resume);
            assertThat(resume.waitFor(Duration.ofMinutes(3))).as(resume.stderr()).isZero();
        }

        long received = result.get("bytesTransferred").asLong();
        System.out.printf("crash resume (download): %d of %d bytes on disk at the kill; the resume fetched %d%n", held, SIZE, received);
        assertThat(result.get("state").asText()).isEqualTo("done");
        assertThat(received).isBetween(SIZE - held, SIZE - held + CONCURRENCY * rangeSize);
        assertThat(Files.mismatch(out.resolve("archive-1gib.bin"), source)).isEqualTo(-1);
        try (Stream<Path> left = Files.list(out)) {
            assertThat(left).as("no partial file left beside it").hasSize(1);
        }
    }

    @Test
    @Order(3)
    void ctrlCPausesEveryTransferExitsWith3AndResumeFinishesIt() throws Exception {
        int exit;
        String stderr;
        try (var upload = SkyliftProcess.start(env, "upload", source.toString(), "--to", "interrupted", "--concurrency", "2")) {
            awaitJournal(e -> e.path("sentParts").size(), 4, upload);
            upload.interrupt();
            exit = upload.waitFor(Duration.ofSeconds(60));
            stderr = upload.stderr();
        }

        assertThat(exit).isEqualTo(3);
        assertThat(stderr).contains("paused").contains("skylift resume --all");
        try (var resume = SkyliftProcess.start(env, "resume", "--all", "--json")) {
            JsonNode result = lastJsonLine(resume);
            assertThat(resume.waitFor(Duration.ofMinutes(3))).as(resume.stderr()).isZero();
            assertThat(result.get("state").asText()).isEqualTo("done");
            assertThat(result.get("key").asText()).isEqualTo("u/sandbox-photographer/interrupted/archive-1gib.bin");
        }
    }
}
