package io.skylift.backend;

import static io.skylift.backend.Callers.ALICE;
import static io.skylift.backend.UploadFlowTest.MIB;
import static io.skylift.backend.UploadFlowTest.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.skylift.backend.http.Json;
import io.skylift.backend.storage.Crc32c;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** The batch routes through the real handler against S3Proxy: per-item answers, in order, as the single routes give them. */
class BatchRoutesTest {

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
        backend.server.faults().clear();
        backend.slowDownOnNextCreate.clear();
    }

    /** A file below one part: it goes as one signed PUT. */
    static Map<String, Object> small(String folder, String name, byte[] data) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("folder", folder);
        item.put("fileName", name);
        item.put("size", data.length);
        item.put("crc32c", PlainHttp.crc32c(data));
        return item;
    }

    /** A file of two 5 MiB parts' worth: a multipart upload. */
    static Map<String, Object> large(String folder, String name) {
        return Map.of("folder", folder, "fileName", name, "size", 6 * MIB, "partSize", 5 * MIB, "contentType", "image/x-canon-cr3");
    }

    static String batch(List<?> items) {
        return Json.write(Map.of("uploads", items));
    }

    static List<JsonNode> results(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<JsonNode> results = new ArrayList<>();
        reply.json().get("uploads").forEach(results::add);
        return results;
    }

    static List<Integer> statuses(Reply reply) {
        return results(reply).stream().map(r -> r.get("status").asInt()).toList();
    }

    static void put(String key, byte[] data) {
        backend.bucket.putObject(b -> b.bucket(backend.server.bucket()).key(key), RequestBody.fromBytes(data));
    }

    /** Stores {@code count} one-byte files named by {@code pattern} with 0, 1, 2…, eight at a time. */
    static void putNumbered(String pattern, int count) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String key = pattern.formatted(i);
                puts.add(pool.submit(() -> put(key, new byte[1])));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        }
    }

    static HeadObjectResponse head(String key) {
        return backend.bucket.headObject(b -> b.bucket(backend.server.bucket()).key(key).checksumMode(ChecksumMode.ENABLED));
    }

    static Set<String> unfinished() {
        return backend.bucket.listMultipartUploads(b -> b.bucket(backend.server.bucket())).uploads().stream()
                .map(u -> u.key()).collect(Collectors.toSet());
    }

    @Test
    void aBatchOf100CreatesSinglePutsAndMultipartUploadsAndTheSameNamesAgainAnswerWhatIsStored() {
        var alice = backend.as(ALICE);
        List<Object> items = new ArrayList<>();
        Map<Integer, byte[]> smallFiles = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            String name = "IMG_%04d.%s".formatted(i, i % 4 == 0 ? "CR3" : "JPG");
            if (i % 4 == 0) {
                items.add(large("shoot", name));
            } else {
                byte[] data = randomBytes(200 + i, i);
                smallFiles.put(i, data);
                items.add(small("shoot", name, data));
            }
        }

        List<JsonNode> created = results(alice.post("/v1/batch/uploads", batch(items)));

        assertThat(created).hasSize(100);
        for (int i = 0; i < 100; i++) {
            JsonNode result = created.get(i);
            String key = "u/alice-0001/shoot/IMG_%04d.%s".formatted(i, i % 4 == 0 ? "CR3" : "JPG");
            assertThat(result.get("status").asInt()).as(result.toString()).isEqualTo(201);
            assertThat(result.at("/upload/key").asText()).isEqualTo(key);
            assertThat(result.at("/upload/id").asText()).isNotBlank();
            if (i % 4 == 0) {
                assertThat(result.at("/upload/partCount").asInt()).isEqualTo(2);
                assertThat(result.at("/upload/single").isMissingNode()).isTrue();
                assertThat(unfinished()).contains(key);
            } else {
                assertThat(result.at("/upload/single/url").asText()).isNotBlank();
                assertThat(result.at("/upload/partCount").isMissingNode()).isTrue();
            }
        }

        // The small files arrive through their grants; other files take the large files' names.
        Map<Integer, byte[]> stored = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            JsonNode upload = created.get(i).get("upload");
            if (smallFiles.containsKey(i)) {
                var sent = PlainHttp.put(upload.get("single"), smallFiles.get(i));
                assertThat(sent.statusCode()).as(sent.text()).isEqualTo(200);
                stored.put(i, smallFiles.get(i));
            } else {
                byte[] other = randomBytes(50 + i, 1000 + i);
                put(upload.get("key").asText(), other);
                stored.put(i, other);
            }
        }

        List<JsonNode> again = results(alice.post("/v1/batch/uploads", batch(items)));

        assertThat(again).hasSize(100);
        for (int i = 0; i < 100; i++) {
            JsonNode result = again.get(i);
            String key = created.get(i).at("/upload/key").asText();
            // Named by its key only: an unexpected 201 would carry a signed URL.
            assertThat(result.get("status").asInt()).as(key).isEqualTo(409);
            assertThat(result.at("/error/code").asText()).isEqualTo("OBJECT_EXISTS");
            assertThat(result.at("/error/retryable").asBoolean()).isFalse();
            assertThat(result.has("upload")).isFalse();
            assertThat(result.at("/stored/key").asText()).isEqualTo(key);
            assertThat(result.at("/stored/size").asLong()).isEqualTo(stored.get(i).length);
            assertThat(result.at("/stored/etag").asText()).isEqualTo(head(key).eTag());
            assertThat(result.at("/stored/lastModified").asText()).isNotBlank();
            String storedCrc = Crc32c.wholeObject(head(key).checksumCRC32C());
            if (storedCrc == null) {
                assertThat(result.get("stored").has("crc32c")).as("named, as null").isTrue();
                assertThat(result.at("/stored/crc32c").isNull()).isTrue();
            } else {
                assertThat(result.at("/stored/crc32c").asText()).isEqualTo(storedCrc);
            }
            if (smallFiles.containsKey(i)) {
                assertThat(result.at("/stored/crc32c").asText()).as("the file sent, so the client can tell it is its own")
                        .isEqualTo(PlainHttp.crc32c(smallFiles.get(i)));
            }
        }
    }

    @Test
    void aBatchOfTakenAndNewNamesAnswersEachItemInRequestOrder() {
        var alice = backend.as(ALICE);
        put("u/alice-0001/mixed/b.jpg", randomBytes(10, 2));
        put("u/alice-0001/mixed/d.jpg", randomBytes(20, 4));
        List<Object> items = new ArrayList<>();
        for (String name : List.of("e.jpg", "b.jpg", "a.jpg", "d.jpg", "c.jpg")) {
            items.add(small("mixed", name, randomBytes(5, name.hashCode())));
        }

        Reply reply = alice.post("/v1/batch/uploads", batch(items));

        assertThat(statuses(reply)).containsExactly(201, 409, 201, 409, 201);
        assertThat(results(reply)).extracting(r -> r.has("upload") ? r.at("/upload/key").asText() : r.at("/stored/key").asText())
                .containsExactly("u/alice-0001/mixed/e.jpg", "u/alice-0001/mixed/b.jpg", "u/alice-0001/mixed/a.jpg",
                        "u/alice-0001/mixed/d.jpg", "u/alice-0001/mixed/c.jpg");
        assertThat(results(reply).get(3).at("/stored/size").asLong()).isEqualTo(20);
    }

    @Test
    void oneListingOfTheFolderFindsTheNamesThatSortFirstAndLastAmongOtherFiles() {
        var alice = backend.as(ALICE);
        // Around the batch's range and inside it: names just before the first, between, and just after the last.
        for (String name : List.of("IMG_000.jpg", "IMG_0000.jpg", "IMG_0001.jp", "IMG_0001.jpg", "IMG_0003.jpg", "IMG_0005.jpg",
                "IMG_0005.jpg~", "IMG_0006.jpg")) {
            put("u/alice-0001/around/" + name, randomBytes(30, name.hashCode()));
        }
        List<Object> items = new ArrayList<>();
        for (String name : List.of("IMG_0004.jpg", "IMG_0005.jpg", "IMG_0001.jpg", "IMG_0002.jpg")) {
            items.add(small("around", name, randomBytes(5, name.hashCode())));
        }
        int callsBefore = backend.handlerS3Calls.get();

        Reply reply = alice.post("/v1/batch/uploads", batch(items));

        assertThat(statuses(reply)).containsExactly(201, 409, 409, 201);
        assertThat(results(reply).get(1).at("/stored/key").asText()).isEqualTo("u/alice-0001/around/IMG_0005.jpg");
        assertThat(results(reply).get(2).at("/stored/key").asText()).isEqualTo("u/alice-0001/around/IMG_0001.jpg");
        assertThat(backend.handlerS3Calls.get() - callsBefore).as("one listing, then a HEAD of each name it shows, nothing for the others")
                .isEqualTo(3);
    }

    @Test
    void aBatchOfAFewOfAFoldersManyFilesListsOnlyTheNamesThatCanBeTheirs() throws Exception {
        var alice = backend.as(ALICE);
        String folder = "u/alice-0001/shoot-day/";
        putNumbered(folder + "IMG_%04d.JPG", 400);
        // Ten names that follow one another, as a folder's files reach a batch: stored, so each is looked at.
        List<Object> items = new ArrayList<>();
        for (int i = 120; i < 130; i++) {
            items.add(small("shoot-day", "IMG_%04d.JPG".formatted(i), randomBytes(5, i)));
        }
        int callsBefore = backend.handlerS3Calls.get();
        int listedBefore = backend.handlerListedKeys.get();

        Reply reply = alice.post("/v1/batch/uploads", batch(items));

        assertThat(statuses(reply)).containsOnly(409);
        assertThat(backend.handlerListedKeys.get() - listedBefore).as("the names from IMG_0120 to IMG_0129, not the 280 from there on")
                .isEqualTo(10);
        assertThat(backend.handlerS3Calls.get() - callsBefore).as("one listing, then a HEAD of each name").isEqualTo(11);
    }

    @Test
    void namesThatDifferOnlyInACharacterBeyondTheBasicPlaneAreStillFoundByTheListing() {
        // U+1F4F7 and U+1F4F8: in UTF-16 both begin with the surrogate \uD83D, which alone is no character.
        assertStoredNamesFoundByOneListing("cameras", List.of("\uD83D\uDCF7 day one.jpg", "\uD83D\uDCF8 day one.jpg"));
    }

    @Test
    void aNameThatBeginsAnotherIsFoundByTheListingBesideIt() {
        // The first name is the whole common start of the two: the listing starts before it all the same.
        assertStoredNamesFoundByOneListing("sidecars", List.of("IMG_0042.CR3", "IMG_0042.CR3.xmp"));
    }

    private static void assertStoredNamesFoundByOneListing(String folder, List<String> names) {
        var alice = backend.as(ALICE);
        for (String name : names) {
            put("u/alice-0001/" + folder + "/" + name, randomBytes(9, name.hashCode()));
        }
        List<Object> items = names.stream().<Object>map(name -> small(folder, name, randomBytes(5, 1))).toList();
        int callsBefore = backend.handlerS3Calls.get();

        Reply reply = alice.post("/v1/batch/uploads", batch(items));

        assertThat(statuses(reply)).containsOnly(409).hasSize(names.size());
        assertThat(backend.handlerS3Calls.get() - callsBefore).as("one listing that shows them all, then a HEAD of each")
                .isEqualTo(1 + names.size());
    }

    @Test
    void aFolderTooBigForThreeListingPagesHasItsRemainingNamesReadOneByOne() throws Exception {
        var alice = backend.as(ALICE);
        String folder = "u/alice-0001/huge/";
        putNumbered(folder + "IMG_%05d.JPG", 3200);
        // The first name is listed on the first page; the others lie past the three pages the listing reads.
        List<Object> items = List.of(small("huge", "IMG_00000.JPG", randomBytes(5, 1)), small("huge", "IMG_03100.JPG", randomBytes(5, 2)),
                small("huge", "IMG_99999.JPG", randomBytes(5, 3)));
        int callsBefore = backend.handlerS3Calls.get();

        Reply reply = alice.post("/v1/batch/uploads", batch(items));

        assertThat(statuses(reply)).containsExactly(409, 409, 201);
        assertThat(backend.handlerS3Calls.get() - callsBefore).as("three pages, then a HEAD of the listed name and of each name past them")
                .isEqualTo(6);
    }

    @Test
    void itemsEachInAFolderOfTheirOwnAreLookedUpOneByOne() {
        var alice = backend.as(ALICE);
        put("u/alice-0001/own-b/IMG_0001.JPG", randomBytes(7, 7));
        List<Object> items = List.of(small("own-a", "IMG_0001.JPG", randomBytes(5, 1)), small("own-b", "IMG_0001.JPG", randomBytes(5, 1)),
                small("own-c", "IMG_0001.JPG", randomBytes(5, 1)));
        int callsBefore = backend.handlerS3Calls.get();

        Reply reply = alice.post("/v1/batch/uploads", batch(items));

        assertThat(statuses(reply)).containsExactly(201, 409, 201);
        assertThat(results(reply).get(1).at("/stored/size").asLong()).isEqualTo(7);
        assertThat(backend.handlerS3Calls.get() - callsBefore).as("a HEAD each, no listing").isEqualTo(3);
    }

    @Test
    void whereStorageAnswers403ForMissingKeysABatchStillTellsTakenNamesFromFreeOnes() {
        var alice = backend.as(ALICE);
        put("u/alice-0001/narrow/taken.jpg", randomBytes(9, 9));
        backend.server.faults().forbidMissingKeys();
        List<Object> items = List.of(small("narrow", "taken.jpg", randomBytes(5, 1)), small("narrow", "free.jpg", randomBytes(5, 2)),
                small("narrow-alone", "free.jpg", randomBytes(5, 3)));

        Reply reply = alice.post("/v1/batch/uploads", batch(items));

        assertThat(statuses(reply)).containsExactly(409, 201, 201);
        assertThat(results(reply).get(0).at("/stored/size").asLong()).isEqualTo(9);
    }

    @Test
    void anItemWhoseStorageCallFailsAnswersAsTheSingleRouteWouldWhileTheOthersSucceed() {
        var alice = backend.as(ALICE);
        backend.slowDownOnNextCreate.add("u/alice-0001/busy/IMG_0002.CR3");
        put("u/alice-0001/denied/taken.jpg", randomBytes(10, 5));
        backend.server.faults().denyReadsUnder("u/alice-0001/denied/");
        List<Object> items = List.of(large("busy", "IMG_0001.CR3"), large("busy", "IMG_0002.CR3"), large("busy", "IMG_0003.CR3"),
                small("denied", "taken.jpg", randomBytes(10, 5)), small("denied", "free.jpg", randomBytes(10, 6)));

        List<JsonNode> results = results(alice.post("/v1/batch/uploads", batch(items)));

        assertThat(results).extracting(r -> r.get("status").asInt()).containsExactly(201, 503, 201, 500, 201);
        assertThat(results.get(1).at("/error/code").asText()).isEqualTo("STORAGE_BUSY");
        assertThat(results.get(1).at("/error/retryable").asBoolean()).isTrue();
        assertThat(results.get(3).at("/error/code").asText()).isEqualTo("STORAGE_ERROR");
        assertThat(unfinished()).contains("u/alice-0001/busy/IMG_0001.CR3", "u/alice-0001/busy/IMG_0003.CR3")
                .doesNotContain("u/alice-0001/busy/IMG_0002.CR3");
        Reply single = alice.post("/v1/uploads", Json.write(small("denied", "taken.jpg", randomBytes(10, 5))));
        assertThat(single.status()).isEqualTo(500);
        assertThat(single.errorCode()).isEqualTo(results.get(3).at("/error/code").asText());
    }

    @Test
    void aBatchOfCompletionsSettlesTheFilesThatArrivedAndNamesTheOnesThatDidNot() {
        var alice = backend.as(ALICE);
        List<byte[]> files = List.of(randomBytes(100, 11), randomBytes(200, 12), randomBytes(300, 13), randomBytes(400, 14));
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            items.add(small("settle", "IMG_%d.JPG".formatted(i), files.get(i)));
        }
        items.add(large("settle", "IMG_9.CR3"));
        List<JsonNode> created = results(alice.post("/v1/batch/uploads", batch(items)));
        for (int i = 0; i < 3; i++) {
            var sent = PlainHttp.put(created.get(i).at("/upload/single"), files.get(i));
            assertThat(sent.statusCode()).as(sent.text()).isEqualTo(200);
        }
        // A PUT whose answer was lost is sent again, and storage refuses it: the first one stored the file.
        assertThat(PlainHttp.put(created.get(2).at("/upload/single"), files.get(2)).statusCode()).isEqualTo(412);
        List<Object> completions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            completions.add(Map.of("id", created.get(i).at("/upload/id").asText(), "crc32c", PlainHttp.crc32c(files.get(i))));
        }
        completions.add(Map.of("id", created.get(4).at("/upload/id").asText(), "crc32c", "AAAAAA=="));

        List<JsonNode> results = results(alice.post("/v1/batch/completions", batch(completions)));

        assertThat(results).extracting(r -> r.get("status").asInt()).containsExactly(200, 200, 200, 409, 409);
        for (int i = 0; i < 3; i++) {
            assertThat(results.get(i).at("/completed/key").asText()).isEqualTo("u/alice-0001/settle/IMG_%d.JPG".formatted(i));
            assertThat(results.get(i).at("/completed/size").asLong()).isEqualTo(files.get(i).length);
            assertThat(results.get(i).at("/completed/crc32c").asText()).isEqualTo(PlainHttp.crc32c(files.get(i)));
            assertThat(results.get(i).at("/completed/etag").asText()).isNotBlank();
            assertThat(UploadFlowTest.download(alice, results.get(i).at("/completed/key").asText())).isEqualTo(files.get(i));
        }
        assertThat(results.get(3).at("/error/code").asText()).isEqualTo("NOT_UPLOADED");
        assertThat(results.get(4).at("/error/code").asText()).isEqualTo("PARTS_INCOMPLETE");
        assertThat(results.get(4).at("/error/message").asText()).contains("part 1 is missing");
        // Each answer is the single route's.
        Reply single = alice.post("/v1/uploads/" + created.get(3).at("/upload/id").asText() + "/complete",
                "{\"crc32c\":\"" + PlainHttp.crc32c(files.get(3)) + "\"}");
        assertThat(single.errorCode()).isEqualTo("NOT_UPLOADED");
        assertThat(single.json().at("/error/message").asText()).isEqualTo(results.get(3).at("/error/message").asText());
    }
    @Test
    void aBatchCallIsLoggedAsOneLineNamingItsRouteAndNothingOfItsItems() {
        var alice = backend.as(ALICE);
        backend.slowDownOnNextCreate.add("u/alice-0001/secret-folder/secret-busy.CR3");
        List<Object> items = List.of(small("secret-folder", "secret-a.jpg", randomBytes(5, 1)), large("secret-folder", "secret-busy.CR3"));
        int before = backend.context.logs().length();

        Reply created = alice.post("/v1/batch/uploads", batch(items));
        Reply completed = alice.post("/v1/batch/completions",
                batch(List.of(Map.of("id", created.json().at("/uploads/0/upload/id").asText(), "crc32c", "AAAAAA=="))));

        String logs = backend.context.logs().substring(before);
        assertThat(statuses(created)).containsExactly(201, 503);
        assertThat(statuses(completed)).containsExactly(409);
        assertThat(logs.strip().split("\n")).as("one line per request").hasSize(2);
        assertThat(logs).contains("\"route\":\"POST /v1/batch/uploads\"", "\"route\":\"POST /v1/batch/completions\"");
        assertThat(logs).doesNotContain("secret-", "X-Amz-Signature", "http://", "alice-0001", created.json().at("/uploads/0/upload/id").asText());
    }
}
