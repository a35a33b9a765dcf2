package io.skylift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.skylift.json.Json;
import io.skylift.sandbox.Sandbox;
import io.skylift.testing.PausedPartWay;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Transfers left unfinished by the release before the journal's part log resume after the upgrade.
 * A transfer is paused for real part way, its engine closed, and its journal entry replaced with
 * one in the old format (the fixtures under {@code resources/journal/}, filled with the real ids
 * and with the parts storage or the partial file really hold), as that release would have left it.
 */
class JournalUpgradeTest {

    static final int PART = 5 * 1024 * 1024;
    static final long RANGE = 16L * 1024 * 1024;
    static final ObjectMapper JSON = Json.STORED;

    @TempDir
    static Path dir;
    static EngineFixture fixture;

    @BeforeAll
    static void start() throws IOException {
        fixture = EngineFixture.start(dir, PART);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void anUploadJournaledInTheOldFormatResumesAndStoresTheFileExactly() throws Exception {
        Path journal = dir.resolve("upload-journal");
        Path source = RoundTripTest.randomFile(dir, "footage.mov", 6L * PART + 4321, 61);
        String id;
        try (TransferEngine before = engine(journal)) {
            before.tune(1, PART, 8L * 1024 * 1024);
            Transfer upload = before.upload(source, "upgrade").getFirst();
            id = upload.id();
            PausedPartWay.after(upload, 2L * PART + 1);
        }
        JsonNode live = liveEntry(journal, id);
        byte[] content = Files.readAllBytes(source);
        Map<Integer, String> held = new TreeMap<>();
        long heldBytes = 0;
        for (int part : partsHeldByStorage(live.get("uploadId").asText())) {
            int offset = (part - 1) * PART;
            int length = Math.min(PART, content.length - offset);
            held.put(part, crc32c(content, offset, length));
            heldBytes += length;
        }
        long expectedDone = heldBytes;
        assertThat(held).as("storage holds some parts, not all").isNotEmpty().hasSizeLessThan(7);
        writeOldFormat(journal, id, "upload.json", live, "sentParts", held);

        TransferResult done;
        try (TransferEngine after = engine(journal)) {
            assertThat(after.unfinished()).singleElement().satisfies(u -> {
                assertThat(u.id()).isEqualTo(id);
                assertThat(u.bytesDone()).isEqualTo(expectedDone);
            });
            done = after.resume(id).stopped().join();
            assertThat(after.unfinished()).as("nothing left to resume").isEmpty();
        }

        assertThat(done.state()).as(done.reason()).isEqualTo(TransferState.DONE);
        assertThat(done.bytesTransferred()).as("only the parts storage did not hold")
                .isEqualTo(content.length - heldBytes);
        assertThat(Files.mismatch(stored(done.key()), source)).as("the object equals the file").isEqualTo(-1);
    }

    @Test
    void aDownloadJournaledInTheOldFormatResumesAndWritesTheFileExactly() throws Exception {
        Path source = RoundTripTest.randomFile(dir, "survey.tar", 3 * RANGE + 999, 62);
        TransferResult up = fixture.engine.upload(source, "upgrade-down").getFirst().stopped().join();
        assertThat(up.state()).as(up.reason()).isEqualTo(TransferState.DONE);
        Path journal = dir.resolve("download-journal");
        Path out = Files.createDirectories(dir.resolve("download-out"));
        String id;
        try (TransferEngine before = engine(journal)) {
            before.tune(1, PART, 16L * 1024 * 1024);
            Transfer download = before.download(up.key(), out, IfExists.FAIL);
            id = download.id();
            PausedPartWay.after(download, RANGE + 1024 * 1024);
        }
        JsonNode live = liveEntry(journal, id);
        Map<Integer, String> done = rangesWrittenIn(Path.of(live.get("temp").asText()), source);
        long expectedDone = Math.min(Files.size(source), done.size() * RANGE);
        assertThat(done).as("the partial file holds some ranges, not all").isNotEmpty().hasSizeLessThan(4);
        writeOldFormat(journal, id, "download.json", live, "doneRanges", done);

        TransferResult result;
        try (TransferEngine after = engine(journal)) {
            assertThat(after.unfinished()).singleElement().satisfies(u -> assertThat(u.bytesDone()).isEqualTo(expectedDone));
            result = after.resumeAll().getFirst().stopped().join();
            assertThat(after.unfinished()).as("nothing left to resume").isEmpty();
        }

        assertThat(result.state()).as(result.reason()).isEqualTo(TransferState.DONE);
        assertThat(result.bytesTransferred()).as("only the ranges not yet written").isLessThanOrEqualTo(Files.size(source) - expectedDone);
        assertThat(Files.mismatch(out.resolve("survey.tar"), source)).as("the file equals the object").isEqualTo(-1);
        try (var left = Files.list(out)) {
            assertThat(left).as("no temporary file left beside it").hasSize(1);
        }
    }

    private static TransferEngine engine(Path journal) {
        return EngineFixture.engine(fixture.sandbox, journal, PART, fixture.sandbox.info().photographerToken());
    }

    private static JsonNode liveEntry(Path journal, String id) throws IOException {
        return JSON.readTree(journal.resolve(id + ".json").toFile());
    }

    /**
     * Replaces the entry with the old release's file: exactly the fixture's fields, each with the
     * live entry's value, and the parts given. Nothing else of the new format stays behind.
     */
    private static void writeOldFormat(Path journal, String id, String fixtureName, JsonNode live, String partsField,
                                       Map<Integer, String> parts) throws IOException {
        ObjectNode old;
        try (InputStream in = JournalUpgradeTest.class.getResourceAsStream("/journal/" + fixtureName)) {
            old = (ObjectNode) JSON.readTree(in);
        }
        for (Iterator<String> names = old.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            assertThat(live.has(name)).as("today's entries still have " + name).isTrue();
            old.set(name, live.get(name));
        }
        ObjectNode recorded = old.putObject(partsField);
        parts.forEach((part, crc) -> recorded.put(String.valueOf(part), crc));
        try (var files = Files.list(journal)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(id)).toList()) {
                Files.delete(file);
            }
        }
        Files.write(journal.resolve(id + ".json"), JSON.writeValueAsBytes(old));
    }

    private static Iterable<Integer> partsHeldByStorage(String uploadId) throws IOException {
        var held = new java.util.ArrayList<Integer>();
        OkHttpClient http = new OkHttpClient();
        String cursor = null;
        do {
            HttpUrl.Builder url = HttpUrl.get(fixture.sandbox.info().api() + "/v1/uploads/" + uploadId + "/parts").newBuilder();
            if (cursor != null) {
                url.addQueryParameter("cursor", cursor);
            }
            try (Response response = http.newCall(new Request.Builder().url(url.build())
                    .header("Authorization", "Bearer " + fixture.sandbox.info().photographerToken()).build()).execute()) {
                JsonNode page = JSON.readTree(response.body().string());
                for (JsonNode part : page.get("parts")) {
                    held.add(part.get("partNumber").asInt());
                }
                cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            }
        } while (cursor != null);
        http.connectionPool().evictAll();
        return held;
    }

    // A range counts as written when the partial file holds exactly the object's bytes there.
    static Map<Integer, String> rangesWrittenIn(Path partial, Path source) throws IOException {
        byte[] want = Files.readAllBytes(source);
        byte[] have = Files.readAllBytes(partial);
        Map<Integer, String> done = new TreeMap<>();
        for (int range = 0; range * RANGE < want.length; range++) {
            int from = (int) (range * RANGE);
            int to = (int) Math.min(want.length, from + RANGE);
            if (have.length >= to && Arrays.equals(want, from, to, have, from, to)) {
                done.put(range, crc32c(want, from, to - from));
            }
        }
        return done;
    }

    static String crc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static Path stored(String key) throws IOException {
        Sandbox.Info info = fixture.sandbox.info();
        Path copy = dir.resolve("stored-" + key.replace('/', '_'));
        Files.deleteIfExists(copy);
        try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1).endpointOverride(info.s3Endpoint()).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(info.s3AccessKey(), info.s3SecretKey())))
                .build()) {
            s3.getObject(b -> b.bucket(Sandbox.BUCKET).key(key), copy);
        }
        return copy;
    }
}
