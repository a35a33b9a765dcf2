package io.skylift.backend;

import static io.skylift.backend.Callers.ALICE;
import static io.skylift.backend.UploadFlowTest.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.skylift.backend.http.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** Deleting files through the real handler against S3Proxy, one at a time and 1,000 in one storage call. */
class DeleteRoutesTest {

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

    @AfterEach
    void disarm() {
        backend.refuseDeletionOf.clear();
    }

    static void put(String key, byte[] data) {
        backend.bucket.putObject(b -> b.bucket(backend.server.bucket()).key(key), RequestBody.fromBytes(data));
    }

    static List<String> listed(String prefix) {
        List<String> keys = new ArrayList<>();
        backend.bucket.listObjectsV2Paginator(b -> b.bucket(backend.server.bucket()).prefix(prefix))
                .contents().forEach(o -> keys.add(o.key()));
        return keys;
    }

    static void putAll(List<String> keys) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> puts = new ArrayList<>();
            for (String key : keys) {
                puts.add(pool.submit(() -> put(key, new byte[] {1})));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        }
    }

    @Test
    void aDeletedFileIsGoneFromStorageAndTheListingAndDeletingItAgainIs404() {
        var alice = backend.as(ALICE);
        put("u/alice-0001/one/IMG_0001.JPG", randomBytes(100, 1));
        put("u/alice-0001/one/IMG_0002.JPG", randomBytes(100, 2));

        Reply reply = alice.send("DELETE", "/v1/files", Map.of("key", "u/alice-0001/one/IMG_0001.JPG"), null);
        Reply again = alice.send("DELETE", "/v1/files", Map.of("key", "u/alice-0001/one/IMG_0001.JPG"), null);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(204);
        assertThat(listed("u/alice-0001/one/")).containsExactly("u/alice-0001/one/IMG_0002.JPG");
        assertThat(alice.get("/v1/files", Map.of("prefix", "u/alice-0001/one/")).json().get("files").findValuesAsText("key"))
                .containsExactly("u/alice-0001/one/IMG_0002.JPG");
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.errorCode()).isEqualTo("FILE_NOT_FOUND");
    }

    @Test
    void aBatchOf1000FilesIsDeletedWithOneStorageCall() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            keys.add("u/alice-0001/thousand/IMG_%04d.JPG".formatted(i));
        }
        putAll(keys);
        put("u/alice-0001/thousand/keep.JPG", new byte[] {2});
        int callsBefore = backend.handlerS3Calls.get();

        Reply reply = backend.as(ALICE).post("/v1/batch/deletions", Json.write(Map.of("keys", keys)));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().get("deleted").asInt()).isEqualTo(1000);
        assertThat(reply.json().get("failed")).isEmpty();
        assertThat(backend.handlerS3Calls.get() - callsBefore).as("one DeleteObjects").isEqualTo(1);
        assertThat(listed("u/alice-0001/thousand/")).containsExactly("u/alice-0001/thousand/keep.JPG");
    }

    @Test
    void filesStorageDidNotDeleteAreNamedByTheirPlaceInTheRequestAndStayStored() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            keys.add("u/alice-0001/partly/IMG_%04d.JPG".formatted(i));
        }
        putAll(keys);
        backend.refuseDeletionOf.addAll(List.of(keys.get(7), keys.get(2)));

        Reply reply = backend.as(ALICE).post("/v1/batch/deletions", Json.write(Map.of("keys", keys)));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().get("deleted").asInt()).isEqualTo(8);
        List<JsonNode> failed = new ArrayList<>();
        reply.json().get("failed").forEach(failed::add);
        assertThat(failed).extracting(f -> f.get("index").asInt()).containsExactly(2, 7);
        assertThat(failed).allSatisfy(f -> {
            assertThat(f.get("code").asText()).isEqualTo("STORAGE_BUSY");
            assertThat(f.get("retryable").asBoolean()).isTrue();
            assertThat(f.get("message").asText()).isNotBlank().doesNotContain("partly", "IMG_");
        });
        assertThat(listed("u/alice-0001/partly/")).containsExactlyInAnyOrder(keys.get(2), keys.get(7));
    }

    @Test
    void aKeyWithNoFileInABatchCountsAsDeletedAsStorageCountsIt() {
        put("u/alice-0001/gone/a.jpg", new byte[] {1});

        Reply reply = backend.as(ALICE).post("/v1/batch/deletions",
                Json.write(Map.of("keys", List.of("u/alice-0001/gone/a.jpg", "u/alice-0001/gone/never-there.jpg"))));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("deleted").asInt()).isEqualTo(2);
        assertThat(listed("u/alice-0001/gone/")).isEmpty();
    }
}
