package io.skylift.s3mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.skylift.engine.IfExists;
import io.skylift.engine.Transfer;
import io.skylift.engine.TransferEngine;
import io.skylift.engine.TransferResult;
import io.skylift.engine.TransferState;
import io.skylift.json.Json;
import io.skylift.sandbox.Sandbox;
import io.skylift.testing.PausedPartWay;
import io.skylift.testing.RandomFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The engine's round trips, resumes and checks against a second S3 implementation, Adobe's S3Mock,
 * through the real handler. S3Mock checks no signatures, so S3Proxy's tests stay the ones for that;
 * these show the engine and the backend do not lean on one server's habits.
 */
class S3MockIT {

    static final int PART = 5 * 1024 * 1024;
    static final long RANGE = 16L * 1024 * 1024;

    @TempDir
    static Path dir;
    static S3MockFixture fixture;
    static OkHttpClient http;

    @BeforeAll
    static void start() throws IOException {
        fixture = S3MockFixture.start(dir, PART);
        http = new OkHttpClient();
    }

    @AfterAll
    static void stop() {
        if (http != null) {
            http.connectionPool().evictAll();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aFileInPartsStoredByAnotherToolComesDownByteForByte() throws Exception {
        Path source = RandomFile.write(dir, "reel.mov", 3L * PART + 12345, 1);
        String key = "u/sandbox-photographer/multi/reel.mov";
        putInParts(key, Files.readAllBytes(source));
        Path out = Files.createDirectories(dir.resolve("multi-out"));

        TransferResult down = fixture.engine.download(key, out, IfExists.FAIL).stopped().join();

        assertThat(down.state()).as(down.reason()).isEqualTo(TransferState.DONE);
        assertThat(down.size()).isEqualTo(Files.size(source));
        assertThat(down.verifiedBy()).as("a composite checksum is no whole-file CRC32C").isEqualTo(TransferResult.BY_SIZE);
        assertThat(Files.mismatch(out.resolve("reel.mov"), source)).isEqualTo(-1);
        assertThat(fixture.engine.unfinished()).isEmpty();
    }

    @Test
    void aMultipartUploadIsRefusedAtCompleteBecauseS3MockComparesTheWholeFileCrc32cWithAComposite() throws Exception {
        Path source = RandomFile.write(dir, "clip.mov", 3L * PART + 12345, 6);

        TransferResult up = fixture.engine.upload(source, "multi-up").getFirst().stopped().join();

        // S3Mock's difference, not Skylift's: against S3 (and the sandbox) this upload is DONE.
        assertThat(up.state()).isEqualTo(TransferState.FAILED);
        assertThat(up.reason()).contains("clip.mov does not match what was sent (checksum)");
        assertThat(up.bytesTransferred()).as("every part was sent and accepted").isEqualTo(Files.size(source));
        assertThat(exists("u/sandbox-photographer/multi-up/clip.mov")).as("no object appears").isFalse();
        assertThat(openUploads()).as("the refused upload was aborted").isZero();
        assertThat(fixture.engine.unfinished()).isEmpty();
    }

    @Test
    void s3MockChecksAFullObjectCrc32cGivenAtCompleteAgainstTheCompositeOfThePartsChecksums() {
        byte[] data = new byte[PART + 99];
        new Random(7).nextBytes(data);
        byte[][] parts = {Arrays.copyOfRange(data, 0, PART), Arrays.copyOfRange(data, PART, data.length)};
        String bucket = fixture.sandbox.info().bucket();
        try (S3Client s3 = s3()) {
            String full = crc32c(data);
            String composite = crc32c(concat(Base64.getDecoder().decode(crc32c(parts[0])), Base64.getDecoder().decode(crc32c(parts[1])))) + "-2";
            for (String given : List.of(full, composite)) {
                String key = "u/sandbox-photographer/pinned/" + (given.equals(full) ? "full" : "composite") + ".bin";
                String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)
                        .checksumAlgorithm(ChecksumAlgorithm.CRC32_C).checksumType(ChecksumType.FULL_OBJECT)).uploadId();
                List<CompletedPart> completed = new ArrayList<>();
                for (int n = 1; n <= 2; n++) {
                    int number = n;
                    var sent = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                            .checksumCRC32C(crc32c(parts[number - 1])), software.amazon.awssdk.core.sync.RequestBody.fromBytes(parts[number - 1]));
                    completed.add(CompletedPart.builder().partNumber(n).eTag(sent.eTag()).checksumCRC32C(crc32c(parts[n - 1])).build());
                }
                Runnable complete = () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                        .checksumType(ChecksumType.FULL_OBJECT).checksumCRC32C(given).multipartUpload(m -> m.parts(completed)));
                if (given.equals(full)) {
                    // S3 accepts exactly this; S3Mock 4.9.1 refuses it.
                    assertThatThrownBy(complete::run).isInstanceOfSatisfying(S3Exception.class,
                            e -> assertThat(e.statusCode()).isEqualTo(400));
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
                } else {
                    complete.run();
                    assertThat(s3.headObject(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED)).checksumCRC32C())
                            .as("what S3Mock stores").isEqualTo(composite);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(longs = {0, 1, 300_000, PART - 1})
    void aFileSmallerThanAPartGoesAsOnePutAndComesBackExactly(long size) throws Exception {
        Path source = RandomFile.write(Files.createDirectories(dir.resolve("single-" + size)), "note-" + size + ".txt", size, size);

        TransferResult up = fixture.engine.upload(source, "single").getFirst().stopped().join();

        assertThat(up.state()).as(up.reason()).isEqualTo(TransferState.DONE);
        assertThat(up.bytesTransferred()).isEqualTo(size);
        assertThat(up.verifiedBy()).isEqualTo(TransferResult.BY_CRC32C);
        assertThat(Files.mismatch(stored(up.key()), source)).as("the object equals the file").isEqualTo(-1);
        Path out = Files.createDirectories(dir.resolve("single-out-" + size));
        TransferResult down = fixture.engine.download(up.key(), out, IfExists.FAIL).stopped().join();
        assertThat(down.state()).as(down.reason()).isEqualTo(TransferState.DONE);
        assertThat(down.crc32c()).isEqualTo(up.crc32c());
        assertThat(Files.mismatch(out.resolve("note-" + size + ".txt"), source)).isEqualTo(-1);
        try (var left = Files.list(out)) {
            assertThat(left).as("no temporary file left beside it").hasSize(1);
        }
    }

    @Test
    void anUploadPausedPartWayResumesAfterARestartSendingOnlyThePartsStorageDoesNotHold() throws Exception {
        Path journal = dir.resolve("upload-journal");
        Path source = RandomFile.write(dir, "footage.mov", 6L * PART + 4321, 2);
        byte[] content = Files.readAllBytes(source);
        String id;
        String uploadId;
        try (TransferEngine before = fixture.engine(journal)) {
            before.tune(1, PART, 8L * 1024 * 1024);
            Transfer upload = before.upload(source, "resume-up").getFirst();
            id = upload.id();
            PausedPartWay.after(upload, 2L * PART + 1);
            uploadId = Json.STORED.readTree(journal.resolve(id + ".json").toFile()).get("uploadId").asText();
        }
        List<JsonNode> held = partsHeldByStorage(uploadId);
        long heldBytes = 0;
        for (JsonNode part : held) {
            int offset = (part.get("partNumber").asInt() - 1) * PART;
            int length = Math.min(PART, content.length - offset);
            assertThat(part.get("size").asLong()).isEqualTo(length);
            heldBytes += length;
        }
        assertThat(held).as("storage holds some parts, not all").isNotEmpty().hasSizeLessThan(7);
        long expectedDone = heldBytes;

        TransferResult done;
        try (TransferEngine after = fixture.engine(journal)) {
            assertThat(after.unfinished()).singleElement().satisfies(u -> assertThat(u.bytesDone()).isEqualTo(expectedDone));
            done = after.resume(id).stopped().join();
            assertThat(after.unfinished()).as("nothing left to resume").isEmpty();
        }

        assertThat(done.bytesTransferred()).as("only the parts storage did not hold").isEqualTo(content.length - heldBytes);
        // The complete then meets S3Mock's checksum difference (see the test above); against S3 it is DONE.
        assertThat(done.state()).isEqualTo(TransferState.FAILED);
        assertThat(done.reason()).contains("footage.mov does not match what was sent (checksum)");
    }

    @Test
    void aDownloadPausedPartWayResumesAfterARestartAndWritesTheFileExactly() throws Exception {
        Path source = RandomFile.write(dir, "survey.tar", 2 * RANGE + 999, 3);
        String key = "u/sandbox-photographer/resume-down/survey.tar";
        byte[] bytes = Files.readAllBytes(source);
        try (S3Client s3 = s3()) {
            s3.putObject(b -> b.bucket(fixture.sandbox.info().bucket()).key(key).checksumCRC32C(crc32c(bytes)),
                    software.amazon.awssdk.core.sync.RequestBody.fromBytes(bytes));
        }
        Path journal = dir.resolve("download-journal");
        Path out = Files.createDirectories(dir.resolve("resume-down-out"));
        String id;
        try (TransferEngine before = fixture.engine(journal)) {
            before.tune(1, PART, 16L * 1024 * 1024);
            Transfer download = before.download(key, out, IfExists.FAIL);
            id = download.id();
            PausedPartWay.after(download, RANGE + 1024 * 1024);
        }

        TransferResult result;
        long doneBefore;
        try (TransferEngine after = fixture.engine(journal)) {
            doneBefore = after.unfinished().getFirst().bytesDone();
            assertThat(doneBefore).as("a range was kept").isGreaterThanOrEqualTo(RANGE).isLessThan(Files.size(source));
            result = after.resume(id).stopped().join();
            assertThat(after.unfinished()).as("nothing left to resume").isEmpty();
        }

        assertThat(result.state()).as(result.reason()).isEqualTo(TransferState.DONE);
        assertThat(result.bytesTransferred()).as("only the ranges not yet written").isLessThanOrEqualTo(Files.size(source) - doneBefore);
        assertThat(result.verifiedBy()).isEqualTo(TransferResult.BY_CRC32C);
        assertThat(Files.mismatch(out.resolve("survey.tar"), source)).isEqualTo(-1);
        try (var left = Files.list(out)) {
            assertThat(left).as("no temporary file left beside it").hasSize(1);
        }
    }

    @Test
    void aSinglePutWhoseBytesDoNotMatchItsSignedChecksumIsRefusedAndNoObjectAppears() throws Exception {
        byte[] data = new byte[300_000];
        new Random(4).nextBytes(data);
        JsonNode created = api("POST", "/v1/uploads", Map.of("fileName", "tampered.jpg", "folder", "verify",
                "size", data.length, "checksum", "CRC32C", "crc32c", crc32c(data)));
        data[1234] ^= 1;

        assertThat(put(created.get("single"), data)).as("the same length with one bit changed").isEqualTo(400);
        assertThat(exists(created.get("key").asText())).isFalse();
    }

    @Test
    void aPartWhoseBytesDoNotMatchItsSignedChecksumIsRefusedByStorage() throws Exception {
        byte[] data = new byte[2 * PART];
        new Random(5).nextBytes(data);
        JsonNode created = api("POST", "/v1/uploads", Map.of("fileName", "tampered.tif", "folder", "verify",
                "size", data.length, "checksum", "CRC32C", "partSize", PART));
        byte[] part = Arrays.copyOfRange(data, 0, PART);
        JsonNode signed = api("POST", "/v1/uploads/" + created.get("id").asText() + "/parts/sign",
                Map.of("parts", List.of(Map.of("partNumber", 1, "crc32c", crc32c(part))))).get("parts").get(0);
        part[17] ^= 1;

        assertThat(put(signed, part)).as("a part of the same length with one bit changed").isEqualTo(400);
    }

    // --- helpers

    private static void putInParts(String key, byte[] data) {
        String bucket = fixture.sandbox.info().bucket();
        try (S3Client s3 = s3()) {
            String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
            List<CompletedPart> completed = new ArrayList<>();
            for (int n = 1; (long) (n - 1) * PART < data.length; n++) {
                int number = n;
                byte[] part = Arrays.copyOfRange(data, (n - 1) * PART, Math.min(data.length, n * PART));
                var sent = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                        software.amazon.awssdk.core.sync.RequestBody.fromBytes(part));
                completed.add(CompletedPart.builder().partNumber(n).eTag(sent.eTag()).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(completed)));
        }
    }

    private static int openUploads() {
        try (S3Client s3 = s3()) {
            return s3.listMultipartUploads(b -> b.bucket(fixture.sandbox.info().bucket())).uploads().size();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static List<JsonNode> partsHeldByStorage(String uploadId) throws IOException {
        List<JsonNode> held = new ArrayList<>();
        String cursor = null;
        do {
            String query = cursor == null ? "" : "?cursor=" + cursor;
            JsonNode page = api("GET", "/v1/uploads/" + uploadId + "/parts" + query, null);
            page.get("parts").forEach(held::add);
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        return held;
    }

    record Reply(int status, String body) {}

    private static JsonNode api(String method, String path, Object body) throws IOException {
        Reply reply = call(method, path, body);
        assertThat(reply.status()).as(method + " " + path + ": " + reply.body()).isBetween(200, 299);
        return Json.WIRE.readTree(reply.body());
    }

    private static Reply call(String method, String path, Object body) throws IOException {
        RequestBody content = body == null ? null
                : RequestBody.create(Json.WIRE.writeValueAsBytes(body), MediaType.get("application/json"));
        Request request = new Request.Builder().url(HttpUrl.get(fixture.sandbox.info().api() + path)).method(method, content)
                .header("Authorization", "Bearer " + fixture.sandbox.info().photographerToken()).build();
        try (Response response = http.newCall(request).execute()) {
            return new Reply(response.code(), response.body().string());
        }
    }

    // Sends a part to its presigned URL with exactly the headers the backend signed.
    private static int put(JsonNode signed, byte[] bytes) throws IOException {
        Request.Builder request = new Request.Builder().url(signed.get("url").asText()).put(RequestBody.create(bytes, null));
        signed.get("headers").properties().forEach(h -> {
            if (!h.getKey().equalsIgnoreCase("Content-Length")) {
                request.header(h.getKey(), h.getValue().asText());
            }
        });
        try (Response response = http.newCall(request.build()).execute()) {
            return response.code();
        }
    }

    static String crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static S3Client s3() {
        Sandbox.Info info = fixture.sandbox.info();
        return S3Client.builder().region(Region.US_EAST_1).endpointOverride(info.s3Endpoint()).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(info.s3AccessKey(), info.s3SecretKey())))
                .build();
    }

    private static Path stored(String key) throws IOException {
        Path copy = dir.resolve("stored-" + key.replace('/', '_'));
        Files.deleteIfExists(copy);
        try (S3Client s3 = s3()) {
            s3.getObject(b -> b.bucket(fixture.sandbox.info().bucket()).key(key), copy);
        }
        return copy;
    }

    private static boolean exists(String key) {
        try (S3Client s3 = s3()) {
            s3.headObject(b -> b.bucket(fixture.sandbox.info().bucket()).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }
}
