package io.skylift.backend;

import static io.skylift.backend.Callers.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Every backend response stays under 1 MB by design, whatever the file's size or its name's length:
 * the largest upload there can be is signed and listed here and every response is weighed.
 */
class ResponseBudgetTest {

    static final int ONE_MB = 1_000_000;
    static final long MIB = 1024L * 1024;
    // A long folder of 3-byte characters, so URLs carry the most escaping: three levels of 240 bytes
    // (a filesystem-backed store cannot hold a single name over 255 bytes).
    static final String LONG_FOLDER = String.join("/", java.util.Collections.nCopies(3, "\u5199\u771f".repeat(40)));

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

    private static String longName(int index) {
        return "frame-%05d-".formatted(index) + "x".repeat(40) + ".cr3";
    }

    @Test
    void signingEveryPartOfA10000PartUploadKeepsEachResponseUnder1MB() {
        var alice = backend.as(ALICE);
        Reply created = alice.post("/v1/uploads", "{\"folder\":\"%s\",\"fileName\":\"%s\",\"size\":%d}"
                .formatted(LONG_FOLDER, longName(0), 10_000 * 16 * MIB));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("partCount").asInt()).isEqualTo(10_000);
        String id = created.json().get("id").asText();

        int largest = 0;
        Set<Integer> signed = new HashSet<>();
        for (int batch = 0; batch < 100; batch++) {
            int first = batch * 100 + 1;
            String parts = IntStream.range(first, first + 100)
                    .mapToObj(n -> "{\"partNumber\":%d,\"crc32c\":\"AAAAAA==\"}".formatted(n))
                    .collect(Collectors.joining(",", "{\"parts\":[", "]}"));
            Reply reply = alice.post("/v1/uploads/" + id + "/parts/sign", parts);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.bytes()).isLessThan(ONE_MB);
            largest = Math.max(largest, reply.bytes());
            reply.json().get("parts").forEach(p -> signed.add(p.get("partNumber").asInt()));
        }

        assertThat(signed).hasSize(10_000);
        System.out.printf("budget: largest sign response for 100 parts of a %d-byte key: %d bytes%n",
                created.json().get("key").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8).length, largest);
        alice.delete("/v1/uploads/" + id);
    }

    @Test
    void aBatchOf100CreatesWithTheLongestKeysAnswersUnder1MBWhetherGrantedOrTaken() {
        var alice = backend.as(ALICE);
        // Four levels of 240 bytes and a name of 3-byte characters: keys of exactly 1,024 bytes, escaped
        // at their longest in every signed URL.
        String folder = String.join("/", java.util.Collections.nCopies(4, "\u5199\u771f".repeat(40)));
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String name = "\u5199".repeat(14) + "-%04d".formatted(i);
            items.add(Map.of("folder", folder, "fileName", name, "size", 1, "crc32c", "AAAAAA=="));
        }
        String body = io.skylift.backend.http.Json.write(Map.of("uploads", items));

        Reply granted = alice.post("/v1/batch/uploads", body);

        assertThat(granted.status()).as(granted.toString()).isEqualTo(200);
        List<String> keys = new ArrayList<>();
        granted.json().get("uploads").forEach(r -> {
            assertThat(r.get("status").asInt()).as(r.toString()).isEqualTo(201);
            assertThat(r.at("/upload/single/url").asText()).isNotBlank();
            keys.add(r.at("/upload/key").asText());
        });
        assertThat(keys).allSatisfy(k -> assertThat(k.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(1024));
        assertThat(granted.bytes()).isLessThan(ONE_MB);

        for (String key : keys) {
            backend.bucket.putObject(b -> b.bucket(backend.server.bucket()).key(key), RequestBody.fromBytes(new byte[1]));
        }
        Reply taken = alice.post("/v1/batch/uploads", body);

        assertThat(taken.status()).as(taken.toString()).isEqualTo(200);
        taken.json().get("uploads").forEach(r -> assertThat(r.at("/error/code").asText()).isEqualTo("OBJECT_EXISTS"));
        assertThat(taken.bytes()).isLessThan(ONE_MB);
        System.out.printf("budget: 100 creates of 1,024-byte keys answer in %d bytes granted, %d bytes taken%n",
                granted.bytes(), taken.bytes());
    }

    @Test
    void listingTheStoredPartsOfA10000PartUploadComesInPagesUnder1MB() throws Exception {
        var alice = backend.as(ALICE);
        Reply created = alice.post("/v1/uploads", "{\"fileName\":\"many-parts.tif\",\"size\":%d,\"partSize\":%d}"
                .formatted(10_000 * 5 * MIB, 5 * MIB));
        String id = created.json().get("id").asText();
        String key = created.json().get("key").asText();
        String s3UploadId = backend.bucket.listMultipartUploads(b -> b.bucket(backend.server.bucket())).uploads().stream()
                .filter(u -> u.key().equals(key)).findFirst().orElseThrow().uploadId();
        // Storage holds all 10,000 parts (tiny ones: listing does not look at their bytes).
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> puts = new ArrayList<>();
            for (int n = 1; n <= 10_000; n++) {
                int part = n;
                puts.add(pool.submit(() -> backend.bucket.uploadPart(b -> b.bucket(backend.server.bucket()).key(key)
                        .uploadId(s3UploadId).partNumber(part), RequestBody.fromBytes(new byte[] {(byte) part}))));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        }

        Set<Integer> listed = new HashSet<>();
        int pages = 0;
        int largest = 0;
        String cursor = null;
        do {
            Reply page = cursor == null ? alice.get("/v1/uploads/" + id + "/parts")
                    : alice.get("/v1/uploads/" + id + "/parts", Map.of("cursor", cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(page.bytes()).isLessThan(ONE_MB);
            assertThat(page.json().get("parts").size()).isLessThanOrEqualTo(1000);
            largest = Math.max(largest, page.bytes());
            for (JsonNode part : page.json().get("parts")) {
                assertThat(listed.add(part.get("partNumber").asInt())).as("each part listed once").isTrue();
            }
            cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 20);

        assertThat(listed).hasSize(10_000);
        assertThat(pages).isBetween(10, 11);
        System.out.printf("budget: 10,000 parts listed in %d pages, largest %d bytes%n", pages, largest);
        alice.delete("/v1/uploads/" + id);
    }

    @Test
    void listingManyFilesWithLongNamesComesInPagesUnder1MBAndMissesNone() throws Exception {
        var alice = backend.as(ALICE);
        String prefix = "u/alice-0001/" + LONG_FOLDER + "/";
        int count = 1100;
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String key = prefix + longName(i) + "-" + "\u00e9".repeat(80);
                puts.add(pool.submit(() -> backend.bucket.putObject(b -> b.bucket(backend.server.bucket()).key(key), RequestBody.fromBytes(new byte[1]))));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        }

        Set<String> listed = new HashSet<>();
        int pages = 0;
        String cursor = null;
        do {
            Map<String, String> query = cursor == null ? Map.of("prefix", prefix) : Map.of("prefix", prefix, "cursor", cursor);
            Reply page = alice.get("/v1/files", query);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(page.bytes()).isLessThan(ONE_MB);
            page.json().get("files").forEach(f -> assertThat(listed.add(f.get("key").asText())).isTrue());
            cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(listed).hasSize(count);
        assertThat(pages).isGreaterThan(1);
    }

    @Test
    void listingManyUnfinishedUploadsWithLongNamesComesInPagesUnder1MBAndMissesNone() throws Exception {
        var bob = backend.as(Callers.BOB);
        String prefix = "u/bob-0002/" + LONG_FOLDER + "/";
        int count = 600;
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> creates = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String key = prefix + longName(i);
                creates.add(pool.submit(() -> backend.bucket.createMultipartUpload(b -> b.bucket(backend.server.bucket()).key(key))));
            }
            for (Future<?> create : creates) {
                create.get();
            }
        }

        Set<String> listed = new HashSet<>();
        int pages = 0;
        String cursor = null;
        do {
            Reply page = cursor == null ? bob.get("/v1/uploads") : bob.get("/v1/uploads", Map.of("cursor", cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(page.bytes()).isLessThan(ONE_MB);
            page.json().get("uploads").forEach(u -> assertThat(listed.add(u.get("key").asText())).isTrue());
            cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(listed).hasSize(count);
        assertThat(pages).as("ids of long keys weigh more than 2 KB each: one page cannot hold 600").isGreaterThan(1);
        // An id from the listing can cancel its upload but not send parts.
        Reply first = bob.get("/v1/uploads");
        String listedId = first.json().get("uploads").get(0).get("id").asText();
        assertThat(bob.post("/v1/uploads/" + listedId + "/parts/sign", "{\"parts\":[{\"partNumber\":1,\"crc32c\":\"AAAAAA==\"}]}").errorCode())
                .isEqualTo("UPLOAD_ID_LIMITED");
        assertThat(bob.delete("/v1/uploads/" + listedId).status()).isEqualTo(204);
        assertThat(bob.get("/v1/uploads").json().get("uploads").get(0).get("id").asText()).isNotEqualTo(listedId);
    }

    @Test
    void aBatchOf1000DeletionsOfTheLongestKeysFitsInOneRequestAndAnswersUnder1MBWhenEveryOneFails() throws Exception {
        var alice = backend.as(ALICE);
        String folder = "u/alice-0001/" + String.join("/", java.util.Collections.nCopies(4, "\u5199\u771f".repeat(40))) + "/";
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String key = folder + "\u5199".repeat(14) + "-%04d".formatted(i);
            keys.add(key);
        }
        assertThat(keys).allSatisfy(k -> assertThat(k.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(1024));
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> puts = new ArrayList<>();
            for (String key : keys) {
                puts.add(pool.submit(() -> backend.bucket.putObject(b -> b.bucket(backend.server.bucket()).key(key), RequestBody.fromBytes(new byte[1]))));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        }
        String body = io.skylift.backend.http.Json.write(Map.of("keys", keys));
        backend.refuseDeletionOf.addAll(keys);

        Reply failed;
        try {
            failed = alice.post("/v1/batch/deletions", body);
        } finally {
            backend.refuseDeletionOf.clear();
        }
        Reply deleted = alice.post("/v1/batch/deletions", body);

        assertThat(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).as("the request fits the 1 MiB body limit")
                .isLessThan(1024 * 1024);
        assertThat(failed.status()).as(failed.toString()).isEqualTo(200);
        assertThat(failed.json().get("failed")).hasSize(1000);
        assertThat(failed.bytes()).isLessThan(ONE_MB);
        assertThat(deleted.json().get("deleted").asInt()).isEqualTo(1000);
        assertThat(deleted.bytes()).isLessThan(ONE_MB);
        System.out.printf("budget: 1,000 deletions of 1,024-byte keys: request %d bytes, answer %d bytes all failed%n",
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, failed.bytes());
    }
}
