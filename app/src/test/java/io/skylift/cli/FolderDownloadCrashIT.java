package io.skylift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.skylift.sandbox.Sandbox;
import io.skylift.testing.FaultProxy;
import io.skylift.testing.RandomFile;
import io.skylift.testing.SandboxBucket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;

/**
 * A support person downloads a case folder, the machine dies part way ({@code kill -9}), and they
 * run {@code skylift resume --all}, then the same download again to be sure. The folder ends with
 * the same tree and bytes as stored, and storage is asked only for the files that were missing:
 * counted as GETs through a proxy in front of the sandbox's S3, and as the runs' bytesTransferred.
 */
class FolderDownloadCrashIT {

    static final int FILES = 30;
    static final String HOME = "u/sandbox-photographer/";
    static final String PREFIX = HOME + "cases/case-4411/";
    static final Predicate<FaultProxy.RequestHead> OBJECT_GET = h -> h.method().equals("GET") && h.path().startsWith("/skylift/u/");

    @TempDir
    static Path dir;
    static Sandbox sandbox;
    static FaultProxy s3;
    static S3Client bucket;
    static Map<String, String> env;
    static Map<String, Path> sources = new TreeMap<>(); // by path below the folder

    @BeforeAll
    static void start() throws IOException {
        FaultProxy[] front = new FaultProxy[1];
        sandbox = Sandbox.start(new Sandbox.Settings(0, Optional.of(dir.resolve("sandbox")), Duration.ofSeconds(300)).withS3Front(endpoint -> {
            try {
                front[0] = FaultProxy.start(new InetSocketAddress("127.0.0.1", endpoint.getPort()));
                return front[0].uri();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
        s3 = front[0];
        bucket = SandboxBucket.client(sandbox);
        Path made = Files.createDirectories(dir.resolve("made"));
        for (int i = 0; i < FILES; i++) {
            String below = (i % 3 == 0 ? "" : "logs/" + (i % 3 == 1 ? "" : "node-" + i % 4 + "/")) + "part-%02d.log".formatted(i);
            Path file = RandomFile.write(made, "f" + i, 150_000 + 37_000L * i, i);
            // Half stored with a CRC32C as Skylift stores files, half as another tool would (no CRC32C).
            ChecksumAlgorithm checksum = i % 2 == 0 ? ChecksumAlgorithm.CRC32_C : ChecksumAlgorithm.CRC32;
            bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key(PREFIX + below).checksumAlgorithm(checksum), RequestBody.fromFile(file));
            sources.put(below, file);
        }
        env = Map.of("SKYLIFT_API", sandbox.info().api().toString(), "SKYLIFT_TOKEN", sandbox.info().photographerToken(),
                "SKYLIFT_DATA_DIR", dir.resolve("data").toString());
    }

    @AfterAll
    static void stop() {
        bucket.close();
        sandbox.close();
        s3.close();
    }

    static List<JsonNode> jsonLines(SkyliftProcess process) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line; (line = process.readLine()) != null; ) {
            lines.add(FolderCrashResumeIT.JSON.readTree(line));
        }
        return lines;
    }

    /** The files below the downloaded folder that hold exactly the stored bytes, by path below it. */
    static Map<String, Long> complete(Path folder) throws IOException {
        Map<String, Long> complete = new TreeMap<>();
        for (var source : sources.entrySet()) {
            Path local = folder.resolve(source.getKey());
            if (Files.exists(local) && Files.mismatch(local, source.getValue()) == -1) {
                complete.put(source.getKey(), Files.size(local));
            }
        }
        return complete;
    }

    static String[] download(Path out) {
        return new String[] {"download", PREFIX, "--out", out.toString(), "--json", "--concurrency", "2"};
    }

    /** Starts the folder's download slowed down, kills it with -9 once six files are done, and says which are complete. */
    static Map<String, Long> killedPartWay(Map<String, String> env, Path out) throws Exception {
        s3.throttleDownloads(1_500_000); // about 9 s for the folder: room to kill it part way
        try (var first = SkyliftProcess.start(env, download(out))) {
            for (int done = 0; done < 6; done++) {
                assertThat(first.readLine()).as("a file finished; stderr:\n" + first.stderr()).isNotNull();
            }
            first.kill();
        } finally {
            s3.throttleDownloads(0);
        }
        Map<String, Long> atKill = complete(out.resolve("case-4411"));
        assertThat(atKill.size()).as("killed part way").isBetween(6, FILES - 1);
        return atKill;
    }

    /** Runs {@code args} to the end and checks that it fetched exactly the files missing at the kill, and finished the folder. */
    static List<JsonNode> fetchesOnlyWhatWasMissing(Map<String, String> env, Map<String, Long> atKill, Path out, String... args)
            throws Exception {
        int getsBefore = s3.requestsSeen(OBJECT_GET);
        List<JsonNode> lines;
        try (var run = SkyliftProcess.start(env, args)) {
            lines = jsonLines(run);
            assertThat(run.waitFor(Duration.ofMinutes(2))).as(run.stderr()).isZero();
        }
        assertThat(lines).allSatisfy(line -> assertThat(line.get("state").asText()).as(line.toString()).isEqualTo("done"));
        long missingBytes = sources.entrySet().stream().filter(s -> !atKill.containsKey(s.getKey()))
                .mapToLong(s -> s.getValue().toFile().length()).sum();
        assertThat(s3.requestsSeen(OBJECT_GET) - getsBefore).as("one GET for each file missing at the kill, none for the others")
                .isEqualTo(FILES - atKill.size());
        assertThat(lines.stream().mapToLong(l -> l.get("bytesTransferred").asLong()).sum()).isEqualTo(missingBytes);
        assertThat(complete(out.resolve("case-4411"))).as("the whole folder, byte for byte").hasSize(FILES);
        try (Stream<Path> files = Files.walk(out)) {
            assertThat(files.filter(Files::isRegularFile).count()).as("no partial file left, nothing beside the folder").isEqualTo(FILES);
        }
        try (Stream<Path> journal = Files.list(Path.of(env.get("SKYLIFT_DATA_DIR")).resolve("transfers"))) {
            assertThat(journal.toList()).as("the journal holds nothing once the folder is done").isEmpty();
        }
        return lines;
    }

    @Test
    void killedPartWayThenTheSameDownloadAgainFetchesOnlyTheMissingFiles() throws Exception {
        Map<String, String> own = new java.util.HashMap<>(env);
        own.put("SKYLIFT_DATA_DIR", dir.resolve("data-again").toString());
        Path out = Files.createDirectories(dir.resolve("out-again"));
        Map<String, Long> atKill = killedPartWay(own, out);

        List<JsonNode> again = fetchesOnlyWhatWasMissing(own, atKill, out, download(out));

        assertThat(again).as("every file of the folder reported").hasSize(FILES);
        assertThat(again).filteredOn(l -> atKill.keySet().stream().anyMatch(k -> l.get("key").asText().endsWith("/" + k)))
                .allSatisfy(l -> assertThat(l.get("bytesTransferred").asLong()).isZero());
    }

    @Test
    void killedPartWayThenResumedThenRunAgainOnlyTheMissingFilesAreFetched() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Map<String, Long> atKill = killedPartWay(env, out);

        fetchesOnlyWhatWasMissing(env, atKill, out, "resume", "--all", "--json");
        long missingBytes = sources.entrySet().stream().filter(s -> !atKill.containsKey(s.getKey()))
                .mapToLong(s -> s.getValue().toFile().length()).sum();

        int getsBeforeAgain = s3.requestsSeen(OBJECT_GET);
        List<JsonNode> again;
        try (var rerun = SkyliftProcess.start(env, download(out))) {
            again = jsonLines(rerun);
            assertThat(rerun.waitFor(Duration.ofMinutes(2))).as(rerun.stderr()).isZero();
        }
        assertThat(again).hasSize(FILES).allSatisfy(line -> {
            assertThat(line.get("state").asText()).isEqualTo("done");
            assertThat(line.get("skipped").asText()).as(line.toString()).isEqualTo("identical");
            assertThat(line.get("bytesTransferred").asLong()).isZero();
        });
        assertThat(s3.requestsSeen(OBJECT_GET) - getsBeforeAgain).as("nothing fetched again").isZero();
        System.out.printf("folder download crash: %d of %d files complete at the kill; resume fetched %d (%d bytes); the run again fetched none%n",
                atKill.size(), FILES, FILES - atKill.size(), missingBytes);
    }
}
