package io.skylift.backend;

import static io.skylift.backend.Callers.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadFlowTest {

    static final int MIB = 1024 * 1024;

    @TempDir
    static Path dir;
    static BackendUnderTest backend;

    @BeforeAll
    static void start() throws Exception {
        backend = BackendUnderTest.start(dir);
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** An upload's id and the answer to its complete. */
    record Uploaded(String id, Reply completed) {}

    static Reply uploadMultipart(BackendUnderTest.Caller caller, String folder, String name, byte[] data, int partSize) {
        return upload(caller, folder, name, data, partSize).completed();
    }

    /** Creates, signs, PUTs every part over plain HTTP and completes. */
    static Uploaded upload(BackendUnderTest.Caller caller, String folder, String name, byte[] data, int partSize) {
        return upload(caller, folder, name, data, partSize, () -> {});
    }

    /** As {@link #upload(BackendUnderTest.Caller, String, String, byte[], int)}, running {@code beforeComplete} once every part is sent. */
    static Uploaded upload(BackendUnderTest.Caller caller, String folder, String name, byte[] data, int partSize, Runnable beforeComplete) {
        Reply created = caller.post("/v1/uploads", """
                {"fileName":"%s","folder":"%s","size":%d,"contentType":"image/x-canon-cr3","checksum":"CRC32C","partSize":%d}
                """.formatted(name, folder, data.length, partSize));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("id").asText();
        int parts = created.json().get("partCount").asInt();
        StringBuilder refs = new StringBuilder();
        for (int n = 1; n <= parts; n++) {
            int from = (n - 1) * partSize;
            int length = Math.min(partSize, data.length - from);
            refs.append(n == 1 ? "" : ",").append("{\"partNumber\":%d,\"crc32c\":\"%s\"}".formatted(n, PlainHttp.crc32c(data, from, length)));
        }
        Reply signed = caller.post("/v1/uploads/" + id + "/parts/sign", "{\"parts\":[" + refs + "]}");
        assertThat(signed.status()).as(signed.toString()).isEqualTo(200);
        for (JsonNode part : signed.json().get("parts")) {
            int n = part.get("partNumber").asInt();
            int from = (n - 1) * partSize;
            byte[] body = Arrays.copyOfRange(data, from, Math.min(data.length, from + partSize));
            var put = PlainHttp.put(part, body);
            assertThat(put.statusCode()).as(put.text()).isEqualTo(200);
        }
        beforeComplete.run();
        return new Uploaded(id, caller.post("/v1/uploads/" + id + "/complete",
                "{\"crc32c\":\"" + PlainHttp.crc32c(data) + "\",\"parts\":[" + refs + "]}"));
    }

    static byte[] download(BackendUnderTest.Caller caller, String key) {
        Reply download = caller.post("/v1/downloads", "{\"key\":\"" + key + "\"}");
        assertThat(download.status()).as(download.toString()).isEqualTo(200);
        var get = PlainHttp.get(download.json().get("url").asText(), download.json().get("headers"), Map.of());
        assertThat(get.statusCode()).isEqualTo(200);
        return get.body();
    }

    @Test
    void aMultipartUploadThroughSignedUrlsStoresExactlyTheSourceBytes() {
        var alice = backend.as(ALICE);
        byte[] data = randomBytes(2 * 5 * MIB + 123, 1);

        Reply completed = uploadMultipart(alice, "2026-11-22 wedding", "IMG_0001.CR3", data, 5 * MIB);

        assertThat(completed.status()).as(completed.toString()).isEqualTo(200);
        assertThat(completed.json().get("key").asText()).isEqualTo("u/alice-0001/2026-11-22 wedding/IMG_0001.CR3");
        assertThat(completed.json().get("size").asLong()).isEqualTo(data.length);
        assertThat(download(alice, "u/alice-0001/2026-11-22 wedding/IMG_0001.CR3")).isEqualTo(data);
    }

    @Test
    void listingPartsShowsWhatStorageHoldsSoAClientCanResume() {
        var alice = backend.as(ALICE);
        byte[] data = randomBytes(3 * 5 * MIB, 2);
        Reply created = alice.post("/v1/uploads", "{\"fileName\":\"resume.tif\",\"size\":%d,\"partSize\":%d}".formatted(data.length, 5 * MIB));
        String id = created.json().get("id").asText();
        Reply signed = alice.post("/v1/uploads/" + id + "/parts/sign",
                "{\"parts\":[{\"partNumber\":2,\"crc32c\":\"%s\"}]}".formatted(PlainHttp.crc32c(data, 5 * MIB, 5 * MIB)));
        assertThat(PlainHttp.put(signed.json().get("parts").get(0), Arrays.copyOfRange(data, 5 * MIB, 10 * MIB)).statusCode()).isEqualTo(200);

        Reply parts = alice.get("/v1/uploads/" + id + "/parts");

        assertThat(parts.status()).isEqualTo(200);
        assertThat(parts.json().get("parts")).hasSize(1);
        assertThat(parts.json().get("parts").get(0).get("partNumber").asInt()).isEqualTo(2);
        assertThat(parts.json().get("parts").get(0).get("size").asLong()).isEqualTo(5 * MIB);
        assertThat(parts.json().get("nextCursor").isNull()).isTrue();
    }

    @Test
    void theDownloadUrlServesRangesPinnedToOneVersion() {
        var alice = backend.as(ALICE);
        byte[] data = randomBytes(6 * MIB, 3);
        assertThat(uploadMultipart(alice, "ranges", "archive.zip", data, 5 * MIB).status()).isEqualTo(200);
        Reply download = alice.post("/v1/downloads", "{\"key\":\"u/alice-0001/ranges/archive.zip\"}");
        JsonNode d = download.json();
        assertThat(d.get("size").asLong()).isEqualTo(data.length);
        assertThat(d.get("headers").get("If-Match").asText()).isEqualTo(d.get("etag").asText());
        assertThat(d.get("fileName").asText()).isEqualTo("archive.zip");

        var range = PlainHttp.get(d.get("url").asText(), d.get("headers"), Map.of("Range", "bytes=1000-1999"));

        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(data, 1000, 2000));
    }

    @Test
    void abortFreesThePartsAndTheUploadIsGone() {
        var alice = backend.as(ALICE);
        byte[] data = randomBytes(2 * 5 * MIB, 4);
        Reply created = alice.post("/v1/uploads", "{\"fileName\":\"cancel.tif\",\"size\":%d,\"partSize\":%d}".formatted(data.length, 5 * MIB));
        String id = created.json().get("id").asText();
        Reply signed = alice.post("/v1/uploads/" + id + "/parts/sign",
                "{\"parts\":[{\"partNumber\":1,\"crc32c\":\"%s\"}]}".formatted(PlainHttp.crc32c(data, 0, 5 * MIB)));
        assertThat(PlainHttp.put(signed.json().get("parts").get(0), Arrays.copyOf(data, 5 * MIB)).statusCode()).isEqualTo(200);

        assertThat(alice.delete("/v1/uploads/" + id).status()).isEqualTo(204);

        assertThat(alice.get("/v1/uploads/" + id + "/parts").status()).isEqualTo(404);
        assertThat(backend.bucket.listMultipartUploads(b -> b.bucket(backend.server.bucket())).uploads())
                .noneMatch(u -> u.key().endsWith("cancel.tif"));
        assertThat(alice.delete("/v1/uploads/" + id).status()).as("abort is idempotent").isEqualTo(204);
    }

    @Test
    void aSmallFileGoesAsOneSignedPutWithItsChecksum() {
        var alice = backend.as(ALICE);
        byte[] data = randomBytes(1000, 5);
        Reply created = alice.post("/v1/uploads", "{\"fileName\":\"note.txt\",\"size\":1000,\"contentType\":\"text/plain\",\"crc32c\":\"%s\"}"
                .formatted(PlainHttp.crc32c(data)));
        assertThat(created.status()).isEqualTo(201);
        JsonNode single = created.json().get("single");
        assertThat(single.get("headers").get("If-None-Match").asText()).isEqualTo("*");

        var put = PlainHttp.put(single.get("url").asText(), single.get("headers"), data);
        assertThat(put.statusCode()).as(put.text()).isEqualTo(200);
        Reply completed = alice.post("/v1/uploads/" + created.json().get("id").asText() + "/complete",
                "{\"crc32c\":\"" + PlainHttp.crc32c(data) + "\"}");

        assertThat(completed.status()).as(completed.toString()).isEqualTo(200);
        assertThat(download(alice, "u/alice-0001/note.txt")).isEqualTo(data);
    }

    @Test
    void aFileSmallEnoughForOnePutIsRefusedWithoutItsChecksumBeforeAnyByteIsSent() {
        var alice = backend.as(ALICE);

        // Without a signed checksum, storage would keep whatever bytes of this length arrived, and
        // the complete could only check the length.
        Reply created = alice.post("/v1/uploads", "{\"fileName\":\"unchecked.txt\",\"size\":1000}");

        assertThat(created.status()).as(created.toString()).isEqualTo(400);
        assertThat(created.errorCode()).isEqualTo("CHECKSUM_REQUIRED");
        assertThat(created.json().at("/error/message").asText()).contains("crc32c");
    }

    @Test
    void aSmallFileWhoseNameAnotherToolTookWithSameSizedBytesIsNotTakenForIt() {
        var alice = backend.as(ALICE);
        byte[] data = randomBytes(1000, 6);
        Reply created = alice.post("/v1/uploads", "{\"fileName\":\"taken.txt\",\"size\":1000,\"crc32c\":\"%s\"}"
                .formatted(PlainHttp.crc32c(data)));
        assertThat(created.status()).isEqualTo(201);
        // Before the PUT arrives, another tool stores other bytes of the same length, without a CRC32C.
        byte[] other = randomBytes(1000, 7);
        backend.bucket.putObject(b -> b.bucket(backend.server.bucket()).key("u/alice-0001/taken.txt"),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(other));
        var put = PlainHttp.put(created.json().get("single"), data);
        assertThat(put.statusCode()).as("If-None-Match: *").isEqualTo(412);

        Reply completed = alice.post("/v1/uploads/" + created.json().get("id").asText() + "/complete",
                "{\"crc32c\":\"" + PlainHttp.crc32c(data) + "\"}");

        assertThat(completed.status()).as(completed.toString()).isEqualTo(409);
        assertThat(completed.errorCode()).isEqualTo("OBJECT_DIFFERS");
        assertThat(download(alice, "u/alice-0001/taken.txt")).isEqualTo(other);
    }

    @Test
    void anEmptyFileUploadsAsOneSignedPut() {
        var alice = backend.as(ALICE);
        byte[] empty = new byte[0];
        Reply created = alice.post("/v1/uploads", "{\"fileName\":\"empty.bin\",\"size\":0,\"crc32c\":\"AAAAAA==\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        var put = PlainHttp.put(created.json().get("single"), empty);
        assertThat(put.statusCode()).as(put.text()).isEqualTo(200);
        assertThat(alice.post("/v1/uploads/" + created.json().get("id").asText() + "/complete", "{\"crc32c\":\"AAAAAA==\"}").status())
                .isEqualTo(200);
        assertThat(download(alice, "u/alice-0001/empty.bin")).isEmpty();
    }

    @Test
    void completingAgainAfterSuccessAnswersTheSame() {
        var alice = backend.as(ALICE);
        byte[] data = randomBytes(5 * MIB + 7, 6);
        Uploaded first = upload(alice, "", "twice.tif", data, 5 * MIB);
        assertThat(first.completed().status()).isEqualTo(200);

        // The client lost the first answer and asks again with the same id.
        Reply again = alice.post("/v1/uploads/" + first.id() + "/complete", "{\"crc32c\":\"" + PlainHttp.crc32c(data) + "\"}");

        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().get("etag").asText()).isEqualTo(first.completed().json().get("etag").asText());
    }
}
