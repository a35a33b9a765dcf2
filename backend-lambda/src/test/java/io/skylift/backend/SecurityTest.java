package io.skylift.backend;

import static io.skylift.backend.BatchRoutesTest.batch;
import static io.skylift.backend.BatchRoutesTest.large;
import static io.skylift.backend.Callers.ALICE;
import static io.skylift.backend.Callers.BOB;
import static io.skylift.backend.Callers.NOBODY;
import static io.skylift.backend.Callers.SAM_STAFF;
import static io.skylift.backend.UploadFlowTest.MIB;
import static io.skylift.backend.UploadFlowTest.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.skylift.backend.http.Json;
import io.skylift.backend.signing.SealedUploadId;
import io.skylift.backend.signing.UploadSeal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

class SecurityTest {

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

    private static String createUpload(BackendUnderTest.Caller caller, String name, long size) {
        Reply created = caller.post("/v1/uploads", "{\"fileName\":\"%s\",\"size\":%d,\"partSize\":%d}".formatted(name, size, 5 * MIB));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private static JsonNode signOne(BackendUnderTest.Caller caller, String id, int part, String crc) {
        Reply signed = caller.post("/v1/uploads/" + id + "/parts/sign", "{\"parts\":[{\"partNumber\":%d,\"crc32c\":\"%s\"}]}".formatted(part, crc));
        assertThat(signed.status()).as(signed.toString()).isEqualTo(200);
        return signed.json().get("parts").get(0);
    }

    private static boolean objectExists(String key) {
        try {
            backend.bucket.headObject(b -> b.bucket(backend.server.bucket()).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    @Test
    void aRequestWithoutATokenIsRefusedWith401ButTheSignInConfigIsPublic() {
        var anonymous = backend.as(null);

        assertThat(anonymous.get("/v1/me").status()).isEqualTo(401);
        assertThat(anonymous.get("/v1/me").errorCode()).isEqualTo("UNAUTHENTICATED");
        assertThat(anonymous.post("/v1/uploads", "{\"fileName\":\"a\",\"size\":1}").status()).isEqualTo(401);
        assertThat(anonymous.get("/v1/files").status()).isEqualTo(401);
        assertThat(anonymous.get("/v1/config").status()).isEqualTo(200);
    }

    @Test
    void aTokenWithoutASubjectIsRefusedWith401() {
        var noSubject = backend.as(Map.of("cognito:groups", "[photographers]"));

        Reply reply = noSubject.get("/v1/files");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().get("error").get("retryable").asBoolean()).isFalse();
        assertThat(reply.json().get("error").get("requestId").asText()).isNotBlank();
    }

    @Test
    void anotherUsersUploadIdIsRefusedBeforeAnyStorageCall() {
        String alicesId = createUpload(backend.as(ALICE), "private.tif", 2 * 5 * MIB);
        var bob = backend.as(BOB);
        int callsBefore = backend.handlerS3Calls.get();

        Stream<Reply> replies = Stream.of(
                bob.post("/v1/uploads/" + alicesId + "/parts/sign", "{\"parts\":[{\"partNumber\":1,\"crc32c\":\"AAAAAA==\"}]}"),
                bob.get("/v1/uploads/" + alicesId + "/parts"),
                bob.post("/v1/uploads/" + alicesId + "/complete", "{\"crc32c\":\"AAAAAA==\"}"),
                bob.delete("/v1/uploads/" + alicesId));

        assertThat(replies).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.errorCode()).isEqualTo("UPLOAD_NOT_YOURS");
        });
        assertThat(backend.handlerS3Calls.get()).isEqualTo(callsBefore);
        assertThat(backend.as(ALICE).get("/v1/uploads/" + alicesId + "/parts").status()).as("alice's upload is untouched").isEqualTo(200);
    }

    @Test
    void anotherUsersKeyIsRefusedBeforeAnyStorageCall() {
        var bob = backend.as(BOB);
        int callsBefore = backend.handlerS3Calls.get();

        assertThat(bob.post("/v1/downloads", "{\"key\":\"u/alice-0001/private.tif\"}").status()).isEqualTo(403);
        assertThat(bob.get("/v1/files", Map.of("prefix", "u/alice-0001/")).status()).isEqualTo(403);
        assertThat(bob.get("/v1/files", Map.of("prefix", "u/")).status()).isEqualTo(403);
        assertThat(bob.get("/v1/files", Map.of("prefix", "u/bob")).status()).as("a prefix of someone else's folder name").isEqualTo(403);
        assertThat(bob.get("/v1/files/content", Map.of("key", "u/alice-0001/private.tif")).status()).isEqualTo(403);
        assertThat(bob.post("/v1/downloads", "{\"key\":\"u/bob-0002/../alice-0001/private.tif\"}").status()).isEqualTo(400);
        assertThat(backend.handlerS3Calls.get()).isEqualTo(callsBefore);
    }

    @Test
    void aForgedOrAlteredUploadIdIsRefusedWith403() throws Exception {
        var alice = backend.as(ALICE);
        String id = createUpload(alice, "sealed.tif", 2 * 5 * MIB);
        String keyId = id.substring(0, id.indexOf('.'));
        String payload = id.substring(id.indexOf('.') + 1, id.lastIndexOf('.'));
        String mac = id.substring(id.lastIndexOf('.') + 1);
        // Alice rewrites the size or the expiry in her own id, and someone builds an id from scratch.
        var json = (com.fasterxml.jackson.databind.node.ArrayNode) io.skylift.backend.http.Json.mapper()
                .readTree(java.util.Base64.getUrlDecoder().decode(payload));
        String bigger = encode(json.deepCopy().set(6, json.numberNode(3L * 5 * MIB)));
        String longer = encode(json.deepCopy().set(2, json.numberNode(json.get(2).asLong() + 365L * 24 * 3600)));
        String forged = encode(io.skylift.backend.http.Json.mapper().readTree(
                "[2,0,9999999999,\"alice-0001\",\"u/alice-0001/x\",\"up\",1,1,1,\"FULL\"]"));
        String legacy = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "[1,\"alice-0001\",\"u/alice-0001/x\",\"up\",1,1,1,\"FULL\"]".getBytes(StandardCharsets.UTF_8)) + "." + mac;
        int callsBefore = backend.handlerS3Calls.get();

        for (String bad : new String[] {keyId + "." + bigger + "." + mac, keyId + "." + longer + "." + mac,
                keyId + "." + forged + "." + mac, legacy, keyId + "." + payload + "." + mac.substring(1), "not-an-id",
                keyId + "." + payload, payload + "." + mac}) {
            Reply reply = alice.get("/v1/uploads/" + bad + "/parts");
            assertThat(reply.status()).as(bad).isEqualTo(403);
            assertThat(reply.errorCode()).isEqualTo("UPLOAD_ID_INVALID");
        }
        assertThat(backend.handlerS3Calls.get()).isEqualTo(callsBefore);
    }

    static String encode(com.fasterxml.jackson.databind.JsonNode payload) {
        return java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(io.skylift.backend.http.Json.write(payload).getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> hostileNames() {
        String longFolder = "\u00e9".repeat(500); // 1000 bytes in UTF-8
        return Stream.of(
                Arguments.of("../x", "photo.jpg"),
                Arguments.of("a/../../b", "photo.jpg"),
                Arguments.of("/abs", "photo.jpg"),
                Arguments.of("", ".."),
                Arguments.of("", "a\\b"),
                Arguments.of("", "a/b"),
                Arguments.of("a\\b", "photo.jpg"),
                Arguments.of("", "bad\u0000name"),
                Arguments.of("", "line\nbreak"),
                Arguments.of("tab\there", "photo.jpg"),
                Arguments.of("", "invoice\u202Efdp.exe"),
                Arguments.of(longFolder, "x".repeat(1025 - "u/mallory-0005/".length() - 1000 - 1)));
    }

    @ParameterizedTest
    @MethodSource("hostileNames")
    void aHostileNameIsRefusedWith400AndNothingIsWritten(String folder, String fileName) {
        var mallory = backend.as(Map.of("sub", "mallory-0005", "cognito:groups", "[photographers]"));
        String body = backend.config == null ? null : io.skylift.backend.http.Json.write(Map.of("folder", folder, "fileName", fileName, "size", 10));

        Reply reply = mallory.post("/v1/uploads", body);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().get("error").get("message").asText()).isNotBlank();
        assertThat(backend.bucket.listObjectsV2(b -> b.bucket(backend.server.bucket())).contents()).noneMatch(o -> o.key().contains("mallory"));
        assertThat(backend.bucket.listMultipartUploads(b -> b.bucket(backend.server.bucket())).uploads()).noneMatch(u -> u.key().contains("mallory"));
    }

    @Test
    void aKeyOfExactly1024BytesIsAccepted() {
        var alice = backend.as(ALICE);
        String folder = "\u00e9".repeat(500);
        String name = "x".repeat(1024 - "u/alice-0001/".length() - 1000 - 1);

        Reply reply = alice.post("/v1/uploads", io.skylift.backend.http.Json.write(Map.of("folder", folder, "fileName", name, "size", 10, "crc32c", "AAAAAA==")));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        assertThat(reply.json().get("key").asText().getBytes(StandardCharsets.UTF_8)).hasSize(1024);
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedWith413AndTheDefaultLimitIsS3sOwn() {
        var alice = backend.as(ALICE);
        long fiveTiB = 5L * 1024 * 1024 * 1024 * 1024;

        Reply tooBig = alice.post("/v1/uploads", "{\"fileName\":\"huge.bin\",\"size\":%d}".formatted(fiveTiB + 1));
        Reply biggest = alice.post("/v1/uploads", "{\"fileName\":\"huge.bin\",\"size\":%d}".formatted(fiveTiB));

        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.errorCode()).isEqualTo("FILE_TOO_LARGE");
        assertThat(biggest.status()).isEqualTo(201);
        assertThat(biggest.json().get("partCount").asInt()).isLessThanOrEqualTo(10_000);
        assertThat(alice.delete("/v1/uploads/" + biggest.json().get("id").asText()).status()).isEqualTo(204);
    }

    @Test
    void signingMoreThan100PartsOrAPartOutsideThePlanIsRefusedWith400() {
        var alice = backend.as(ALICE);
        String id = createUpload(alice, "plan.tif", 200L * 5 * MIB);
        String tooMany = IntStream.rangeClosed(1, 101).mapToObj(n -> "{\"partNumber\":%d,\"crc32c\":\"AAAAAA==\"}".formatted(n))
                .collect(Collectors.joining(",", "{\"parts\":[", "]}"));

        assertThat(alice.post("/v1/uploads/" + id + "/parts/sign", tooMany).status()).isEqualTo(400);
        assertThat(alice.post("/v1/uploads/" + id + "/parts/sign", "{\"parts\":[{\"partNumber\":0,\"crc32c\":\"AAAAAA==\"}]}").errorCode())
                .isEqualTo("PART_NUMBER_INVALID");
        assertThat(alice.post("/v1/uploads/" + id + "/parts/sign", "{\"parts\":[{\"partNumber\":201,\"crc32c\":\"AAAAAA==\"}]}").errorCode())
                .isEqualTo("PART_NUMBER_INVALID");
        assertThat(alice.post("/v1/uploads/" + id + "/parts/sign", "{\"parts\":[{\"partNumber\":200,\"crc32c\":\"AAAAAA==\"}]}").status())
                .isEqualTo(200);
        assertThat(alice.post("/v1/uploads/" + id + "/parts/sign", "{\"parts\":[{\"partNumber\":1,\"crc32c\":\"nope\"}]}").errorCode())
                .isEqualTo("CHECKSUM_INVALID");
    }

    @Test
    void aPartWithOneByteMoreIsRefusedByStorage() {
        var alice = backend.as(ALICE);
        byte[] data = randomBytes(5 * MIB + 1, 11);
        String id = createUpload(alice, "longer.tif", 2 * 5 * MIB);
        JsonNode part = signOne(alice, id, 1, PlainHttp.crc32c(data, 0, 5 * MIB));
        assertThat(part.get("headers").get("Content-Length").asText()).isEqualTo(String.valueOf(5 * MIB));
        assertThat(part.get("url").asText()).contains("content-length").contains("x-amz-checksum-crc32c");

        var put = PlainHttp.put(part, data);

        assertThat(put.statusCode()).isEqualTo(403);
        assertThat(alice.get("/v1/uploads/" + id + "/parts").json().get("parts")).isEmpty();
    }

    @Test
    void aPartWithOtherContentThanItsSignedChecksumIsRefusedByStorage() {
        var alice = backend.as(ALICE);
        byte[] signedFor = randomBytes(5 * MIB, 12);
        byte[] other = randomBytes(5 * MIB, 13);
        String id = createUpload(alice, "changed.tif", 2 * 5 * MIB);
        JsonNode part = signOne(alice, id, 1, PlainHttp.crc32c(signedFor));

        // Other bytes under the signed checksum: storage computes the CRC and refuses.
        var sameHeader = PlainHttp.put(part, other);
        // Other bytes with their own checksum: the header no longer matches the signature.
        var ownHeader = PlainHttp.put(part.get("url").asText(),
                io.skylift.backend.http.Json.mapper().valueToTree(Map.of("x-amz-checksum-crc32c", PlainHttp.crc32c(other))), other);

        assertThat(sameHeader.statusCode()).isEqualTo(400);
        assertThat(sameHeader.text()).contains("BadDigest");
        assertThat(ownHeader.statusCode()).isEqualTo(403);
        assertThat(alice.get("/v1/uploads/" + id + "/parts").json().get("parts")).isEmpty();
    }

    @Test
    void aUrlUsedAfterItExpiresIsRefused(@TempDir Path shortLived) throws Exception {
        try (var quick = BackendUnderTest.start(shortLived, Map.of("SKYLIFT_URL_TTL_SECONDS", "1"))) {
            var alice = quick.as(ALICE);
            byte[] data = randomBytes(5 * MIB, 14);
            Reply created = alice.post("/v1/uploads", "{\"fileName\":\"late.tif\",\"size\":%d,\"partSize\":%d}".formatted(2 * 5 * MIB, 5 * MIB));
            JsonNode part = alice.post("/v1/uploads/" + created.json().get("id").asText() + "/parts/sign",
                    "{\"parts\":[{\"partNumber\":1,\"crc32c\":\"%s\"}]}".formatted(PlainHttp.crc32c(data))).json().get("parts").get(0);
            Instant expiresAt = Instant.parse(part.get("expiresAt").asText());
            assertThat(expiresAt).isBefore(Instant.now().plusSeconds(2));

            // The condition under test is time itself: wait until the URL's own expiry has passed.
            while (!Instant.now().isAfter(expiresAt.plusSeconds(1))) {
                Thread.sleep(50);
            }
            var put = PlainHttp.put(part, data);

            assertThat(put.statusCode()).isEqualTo(403);
            assertThat(put.text()).containsIgnoringCase("expired");
        }
    }

    @Test
    void completingWithAMissingPartIsRefusedWith409AndNoObjectAppears() {
        var alice = backend.as(ALICE);
        byte[] data = randomBytes(3 * 5 * MIB, 15);
        String id = createUpload(alice, "gap.tif", data.length);
        for (int n : new int[] {1, 3}) {
            int from = (n - 1) * 5 * MIB;
            JsonNode part = signOne(alice, id, n, PlainHttp.crc32c(data, from, 5 * MIB));
            assertThat(PlainHttp.put(part, Arrays.copyOfRange(data, from, from + 5 * MIB)).statusCode()).isEqualTo(200);
        }

        Reply reply = alice.post("/v1/uploads/" + id + "/complete", "{\"crc32c\":\"" + PlainHttp.crc32c(data) + "\"}");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.errorCode()).isEqualTo("PARTS_INCOMPLETE");
        assertThat(reply.json().get("error").get("message").asText()).contains("part 2 is missing");
        assertThat(objectExists("u/alice-0001/gap.tif")).isFalse();
    }

    @Test
    void completingWithAPartOfTheWrongSizeIsRefusedWith409AndNoObjectAppears() {
        var alice = backend.as(ALICE);
        byte[] data = randomBytes(2 * 5 * MIB, 16);
        String id = createUpload(alice, "short.tif", data.length);
        JsonNode part = signOne(alice, id, 1, PlainHttp.crc32c(data, 0, 5 * MIB));
        assertThat(PlainHttp.put(part, Arrays.copyOf(data, 5 * MIB)).statusCode()).isEqualTo(200);
        // Part 2 arrives by another way (someone with bucket credentials) and is too short.
        String s3UploadId = backend.bucket.listMultipartUploads(b -> b.bucket(backend.server.bucket())).uploads().stream()
                .filter(u -> u.key().equals("u/alice-0001/short.tif")).findFirst().orElseThrow().uploadId();
        backend.bucket.uploadPart(b -> b.bucket(backend.server.bucket()).key("u/alice-0001/short.tif").uploadId(s3UploadId).partNumber(2),
                RequestBody.fromBytes(new byte[100]));

        Reply reply = alice.post("/v1/uploads/" + id + "/complete", "{\"crc32c\":\"" + PlainHttp.crc32c(data) + "\"}");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.json().get("error").get("message").asText()).contains("part 2 has 100 bytes");
        assertThat(objectExists("u/alice-0001/short.tif")).isFalse();
    }

    @Test
    void aSecondUploadOntoAnExistingKeyDoesNotOverwriteIt() {
        var alice = backend.as(ALICE);
        byte[] first = randomBytes(5 * MIB + 10, 17);
        byte[] second = randomBytes(5 * MIB + 10, 18);
        // Two uploads of the same name start before either finishes.
        String racer = createUpload(alice, "same.tif", second.length);
        assertThat(UploadFlowTest.uploadMultipart(alice, "", "same.tif", first, 5 * MIB).status()).isEqualTo(200);
        for (int n = 1; n <= 2; n++) {
            int from = (n - 1) * 5 * MIB;
            int to = Math.min(second.length, from + 5 * MIB);
            JsonNode part = signOne(alice, racer, n, PlainHttp.crc32c(second, from, to - from));
            assertThat(PlainHttp.put(part, Arrays.copyOfRange(second, from, to)).statusCode()).isEqualTo(200);
        }

        Reply lateComplete = alice.post("/v1/uploads/" + racer + "/complete", "{\"crc32c\":\"" + PlainHttp.crc32c(second) + "\"}");
        Reply newCreate = alice.post("/v1/uploads", "{\"fileName\":\"same.tif\",\"size\":10,\"crc32c\":\"AAAAAA==\"}");

        assertThat(lateComplete.status()).as(lateComplete.toString()).isEqualTo(409);
        assertThat(lateComplete.errorCode()).isEqualTo("OBJECT_EXISTS");
        assertThat(newCreate.status()).isEqualTo(409);
        assertThat(newCreate.errorCode()).isEqualTo("OBJECT_EXISTS");
        assertThat(UploadFlowTest.download(alice, "u/alice-0001/same.tif")).isEqualTo(first);
        assertThat(backend.bucket.listMultipartUploads(b -> b.bucket(backend.server.bucket())).uploads())
                .as("the losing upload's parts are freed").noneMatch(u -> u.key().equals("u/alice-0001/same.tif"));
    }

    @Test
    void aPhotographerCannotListOrDownloadTheArchiveButStaffCan() {
        byte[] zip = randomBytes(1234, 19);
        backend.bucket.putObject(b -> b.bucket(backend.server.bucket()).key("archives/case-4411.zip"), RequestBody.fromBytes(zip));
        var alice = backend.as(ALICE);
        var sam = backend.as(SAM_STAFF);

        assertThat(alice.get("/v1/files", Map.of("prefix", "archives/")).status()).isEqualTo(403);
        assertThat(alice.post("/v1/downloads", "{\"key\":\"archives/case-4411.zip\"}").status()).isEqualTo(403);
        assertThat(alice.get("/v1/files/content", Map.of("key", "archives/case-4411.zip")).status()).isEqualTo(403);

        Reply listed = sam.get("/v1/files", Map.of("prefix", "archives/"));
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().get("files").findValuesAsText("key")).contains("archives/case-4411.zip");
        assertThat(UploadFlowTest.download(sam, "archives/case-4411.zip")).isEqualTo(zip);
        Reply redirect = sam.get("/v1/files/content", Map.of("key", "archives/case-4411.zip"));
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(PlainHttp.get(redirect.headers().get("Location"), null, Map.of()).body()).isEqualTo(zip);
        assertThat(sam.post("/v1/uploads", "{\"folder\":\"../../archives\",\"fileName\":\"x\",\"size\":1}").status())
                .as("nobody writes into the archive").isEqualTo(400);
    }

    @Test
    void aUserInNoGroupMayStillAskWhoTheyAreAndHowToSignIn() {
        var nora = backend.as(NOBODY);

        Reply me = nora.get("/v1/me");

        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("roles")).isEmpty();
        assertThat(nora.get("/v1/config").status()).isEqualTo(200);
    }

    /** Every other route of the v1 contract, each with a request that would succeed for a member. */
    static Stream<Arguments> routesForMembers() {
        String sign = "{\"parts\":[{\"partNumber\":1,\"crc32c\":\"AAAAAA==\"}]}";
        return Stream.of(
                Arguments.of("POST", "/v1/uploads", Map.of(), "{\"fileName\":\"a.tif\",\"size\":1}"),
                Arguments.of("POST", "/v1/uploads/{id}/parts/sign", Map.of(), sign),
                Arguments.of("GET", "/v1/uploads/{id}/parts", Map.of(), null),
                Arguments.of("POST", "/v1/uploads/{id}/complete", Map.of(), "{\"crc32c\":\"AAAAAA==\"}"),
                Arguments.of("DELETE", "/v1/uploads/{id}", Map.of(), null),
                Arguments.of("GET", "/v1/uploads", Map.of(), null),
                Arguments.of("GET", "/v1/files", Map.of(), null),
                Arguments.of("POST", "/v1/downloads", Map.of(), "{\"key\":\"u/nora-0004/a.tif\"}"),
                Arguments.of("GET", "/v1/files/content", Map.of("key", "u/nora-0004/a.tif"), null),
                Arguments.of("DELETE", "/v1/files", Map.of("key", "u/nora-0004/a.tif"), null),
                Arguments.of("POST", "/v1/batch/deletions", Map.of(), "{\"keys\":[\"u/nora-0004/a.tif\"]}"),
                Arguments.of("POST", "/v1/moves", Map.of(), "{\"from\":\"u/nora-0004/a.tif\",\"to\":\"u/nora-0004/b.tif\"}"),
                Arguments.of("POST", "/v1/moves/{id}/continue", Map.of(), null),
                Arguments.of("DELETE", "/v1/moves/{id}", Map.of(), null),
                Arguments.of("POST", "/v1/restores", Map.of(), "{\"key\":\"archives/a.zip\"}"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("routesForMembers")
    void aUserInNoGroupIsRefusedWith403BeforeAnyStorageCall(String method, String route, Map<String, String> query, String body) {
        // An id sealed for Nora herself, so only her missing group can be the reason for a refusal.
        String norasId = new UploadSeal(backend.config.sealSecret()).seal(new SealedUploadId(
                NOBODY.get("sub"), "u/nora-0004/a.tif", "an-upload", 10 * MIB, 5 * MIB, 2, SealedUploadId.Scope.FULL));
        int callsBefore = backend.handlerS3Calls.get();

        Reply reply = backend.as(NOBODY).send(method, route.replace("{id}", norasId), query, body);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
        assertThat(reply.errorCode()).isEqualTo("NO_ROLE");
        assertThat(backend.handlerS3Calls.get()).isEqualTo(callsBefore);
    }

    @Test
    void completingWithAWholeFileChecksumThatDoesNotMatchThePartsIsRefusedAndNoObjectAppears() {
        var alice = backend.as(ALICE);
        byte[] data = randomBytes(5 * MIB + 99, 20);
        String id = createUpload(alice, "mismatch.tif", data.length);
        for (int n = 1; n <= 2; n++) {
            int from = (n - 1) * 5 * MIB;
            int to = Math.min(data.length, from + 5 * MIB);
            JsonNode part = signOne(alice, id, n, PlainHttp.crc32c(data, from, to - from));
            assertThat(PlainHttp.put(part, Arrays.copyOfRange(data, from, to)).statusCode()).isEqualTo(200);
        }
        String wrong = PlainHttp.crc32c(randomBytes(10, 21));
        String parts = "[{\"partNumber\":1,\"crc32c\":\"%s\"},{\"partNumber\":2,\"crc32c\":\"%s\"}]".formatted(
                PlainHttp.crc32c(data, 0, 5 * MIB), PlainHttp.crc32c(data, 5 * MIB, 99));

        Reply reply = alice.post("/v1/uploads/" + id + "/complete", "{\"crc32c\":\"" + wrong + "\",\"parts\":" + parts + "}");

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.errorCode()).isEqualTo("CHECKSUM_MISMATCH");
        assertThat(objectExists("u/alice-0001/mismatch.tif")).isFalse();
    }

    // ----- batch routes: one bad item refuses the whole call, with that item's status and code, before any
    // storage call. The other items are valid multipart creates or completes, so a route that acted on
    // items as it checked them would leave uploads behind or list parts.

    static final Map<String, String> MALLORY = Map.of("sub", "mallory-0005", "cognito:groups", "[photographers]");

    /** 100 valid multipart creates with {@code bad} at index 56, the 57th item. */
    static List<Object> hundredWith(Object bad) {
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            items.add(i == 56 ? bad : large("shoot", "IMG_%04d.CR3".formatted(i)));
        }
        return items;
    }

    /** The reply, asserting that the handler made no storage call to give it and nothing of Mallory's exists. */
    static Reply refusedBeforeStorage(BackendUnderTest on, Supplier<Reply> call) {
        int callsBefore = on.handlerS3Calls.get();
        Reply reply = call.get();
        assertThat(on.handlerS3Calls.get()).as("storage calls for " + reply).isEqualTo(callsBefore);
        assertThat(backend.bucket.listMultipartUploads(b -> b.bucket(backend.server.bucket())).uploads())
                .noneMatch(u -> u.key().contains("mallory"));
        assertThat(backend.bucket.listObjectsV2(b -> b.bucket(backend.server.bucket())).contents())
                .noneMatch(o -> o.key().contains("mallory"));
        return reply;
    }

    static Stream<Arguments> hostileItems() {
        return Stream.of(
                Arguments.of("a parent folder", Map.of("folder", "../x", "fileName", "IMG.CR3", "size", 6 * MIB), 400, "NAME_INVALID"),
                Arguments.of("another user's folder", Map.of("folder", "../../u/alice-0001", "fileName", "IMG.CR3", "size", 6 * MIB),
                        400, "NAME_INVALID"),
                Arguments.of("a control character", Map.of("fileName", "IMG\u0007.CR3", "size", 6 * MIB), 400, "NAME_INVALID"),
                Arguments.of("a text-direction mark", Map.of("fileName", "gpj.\u202Eexe", "size", 6 * MIB), 400, "NAME_INVALID"),
                Arguments.of("a leading slash", Map.of("folder", "/etc", "fileName", "IMG.CR3", "size", 6 * MIB), 400, "NAME_INVALID"),
                Arguments.of("no size", Map.of("fileName", "IMG.CR3"), 400, "SIZE_INVALID"),
                Arguments.of("a size over the limit", Map.of("fileName", "IMG.CR3", "size", Long.MAX_VALUE), 413, "FILE_TOO_LARGE"),
                Arguments.of("a small file without its checksum", Map.of("fileName", "IMG.JPG", "size", 10), 400, "CHECKSUM_REQUIRED"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileItems")
    void aBadItem57Of100RefusesTheWholeBatchWithItsOwnStatusBeforeAnyStorageCall(String what, Map<String, Object> bad, int status, String code) {
        var mallory = backend.as(MALLORY);

        Reply reply = refusedBeforeStorage(backend, () -> mallory.post("/v1/batch/uploads", batch(hundredWith(bad))));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.errorCode()).isEqualTo(code);
        assertThat(reply.json().at("/error/message").asText()).startsWith("uploads[56]: ");
    }

    @Test
    void aBatchOf101Or0ItemsOrNoneAtAllIsRefusedNamingTheLimitBeforeAnyStorageCall() {
        var mallory = backend.as(MALLORY);
        List<Object> hundredAndOne = new ArrayList<>(hundredWith(large("shoot", "IMG_0056.CR3")));
        hundredAndOne.add(large("shoot", "IMG_0100.CR3"));

        for (String body : new String[] {batch(hundredAndOne), batch(List.of()), "{}", "{\"uploads\":null}", null}) {
            Reply reply = refusedBeforeStorage(backend, () -> mallory.post("/v1/batch/uploads", body));
            assertThat(reply.status()).as(String.valueOf(body).substring(0, Math.min(40, String.valueOf(body).length()))).isEqualTo(400);
            assertThat(reply.errorCode()).isEqualTo("BATCH_INVALID");
            assertThat(reply.json().at("/error/message").asText()).contains("1 to 100");
        }
    }

    @Test
    void aNullItemOrTwoItemsNamingTheSameFileAreRefusedBeforeAnyStorageCall() {
        var mallory = backend.as(MALLORY);
        List<Object> withNull = hundredWith(null);
        // The same name typed on macOS (decomposed) and on Windows (composed) is one key.
        List<Object> twice = hundredWith(large("shoot", "IMG_0003.CR3"));
        List<Object> sameByUnicode = new ArrayList<>(List.of(large("f\u00e9te", "a.CR3"), large("fe\u0301te", "a.CR3")));

        Reply nullItem = refusedBeforeStorage(backend, () -> mallory.post("/v1/batch/uploads", batch(withNull)));
        Reply duplicate = refusedBeforeStorage(backend, () -> mallory.post("/v1/batch/uploads", batch(twice)));
        Reply normalised = refusedBeforeStorage(backend, () -> mallory.post("/v1/batch/uploads", batch(sameByUnicode)));

        assertThat(nullItem.status()).isEqualTo(400);
        assertThat(nullItem.errorCode()).isEqualTo("BATCH_INVALID");
        assertThat(nullItem.json().at("/error/message").asText()).startsWith("uploads[56]: ");
        assertThat(duplicate.errorCode()).isEqualTo("BATCH_INVALID");
        assertThat(duplicate.json().at("/error/message").asText()).startsWith("uploads[56]: ").contains("uploads[3]");
        assertThat(normalised.errorCode()).isEqualTo("BATCH_INVALID");
        assertThat(normalised.json().at("/error/message").asText()).startsWith("uploads[1]: ").contains("uploads[0]");
    }

    /** Alice's valid multipart ids, made before any test counts storage calls. */
    static List<String> alicesIds(int count, String folder) {
        var alice = backend.as(ALICE);
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(large(folder, "IMG_%04d.CR3".formatted(i)));
        }
        Reply created = alice.post("/v1/batch/uploads", batch(items));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        created.json().get("uploads").forEach(r -> ids.add(r.at("/upload/id").asText()));
        assertThat(ids).doesNotContain("");
        return ids;
    }

    static List<Object> completions(List<String> ids) {
        return ids.stream().map(id -> (Object) Map.of("id", id, "crc32c", "AAAAAA==")).toList();
    }

    @Test
    void anotherUsersOrAForgedIdInABatchOfCompletionsRefusesItBeforeAnyStorageCall() {
        var alice = backend.as(ALICE);
        List<String> ids = alicesIds(5, "complete-refused");
        Reply bobs = backend.as(BOB).post("/v1/uploads", Json.write(large("b", "b.CR3")));
        String bobsId = bobs.json().get("id").asText();
        String alicesOwn = ids.get(2);
        String forged = alicesOwn.substring(0, alicesOwn.lastIndexOf('.') + 1) + "AAAA" + alicesOwn.substring(alicesOwn.lastIndexOf('.') + 5);
        String listedId = alice.get("/v1/uploads").json().at("/uploads/0/id").asText();

        List<String> withBobs = new ArrayList<>(ids);
        withBobs.set(2, bobsId);
        List<String> withForged = new ArrayList<>(ids);
        withForged.set(2, forged);
        List<String> withListed = new ArrayList<>(ids);
        withListed.set(2, listedId);
        List<Object> badChecksum = new ArrayList<>(completions(ids));
        badChecksum.set(2, Map.of("id", ids.get(2), "crc32c", "not-a-crc"));
        List<Object> badParts = new ArrayList<>(completions(ids));
        badParts.set(2, Map.of("id", ids.get(2), "crc32c", "AAAAAA==", "parts", List.of(Map.of("partNumber", 3, "crc32c", "AAAAAA=="))));
        List<String> sameTwice = new ArrayList<>(ids);
        sameTwice.set(2, ids.get(0));

        Map<String, Object[]> expected = new LinkedHashMap<>();
        expected.put(batch(completions(withBobs)), new Object[] {403, "UPLOAD_NOT_YOURS"});
        expected.put(batch(completions(withForged)), new Object[] {403, "UPLOAD_ID_INVALID"});
        expected.put(batch(completions(withListed)), new Object[] {403, "UPLOAD_ID_LIMITED"});
        expected.put(batch(badChecksum), new Object[] {400, "CHECKSUM_INVALID"});
        expected.put(batch(badParts), new Object[] {400, "PART_NUMBER_INVALID"});
        expected.put(batch(completions(sameTwice)), new Object[] {400, "BATCH_INVALID"});
        expected.forEach((body, answer) -> {
            Reply reply = refusedBeforeStorage(backend, () -> alice.post("/v1/batch/completions", body));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(answer[0]);
            assertThat(reply.errorCode()).isEqualTo(answer[1]);
            assertThat(reply.json().at("/error/message").asText()).startsWith("uploads[2]: ");
        });
        assertThat(alice.post("/v1/batch/completions", batch(completions(ids))).status()).as("the valid batch goes through").isEqualTo(200);
    }

    @Test
    void anExpiredIdInABatchOfCompletionsIsRefusedWith410BeforeAnyStorageCall() {
        List<String> ids = alicesIds(4, "complete-expired");
        // An id issued 31 days ago by the same deployment: its 30 days are over.
        try (var monthAgo = backend.alsoServing(Map.of(), Clock.offset(Clock.systemUTC(), Duration.ofDays(-31)))) {
            Reply old = monthAgo.as(ALICE).post("/v1/uploads", Json.write(large("complete-expired", "old.CR3")));
            assertThat(old.status()).as(old.toString()).isEqualTo(201);
            ids.set(2, old.json().get("id").asText());
        }

        Reply reply = refusedBeforeStorage(backend, () -> backend.as(ALICE).post("/v1/batch/completions", batch(completions(ids))));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(410);
        assertThat(reply.errorCode()).isEqualTo("UPLOAD_ID_EXPIRED");
        assertThat(reply.json().at("/error/message").asText()).startsWith("uploads[2]: ");
    }

    @Test
    void aBatchOf101CompletionsIsRefusedBeforeAnyIdIsOpened() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            ids.add("not-an-id-" + i);
        }

        Reply reply = refusedBeforeStorage(backend, () -> backend.as(ALICE).post("/v1/batch/completions", batch(completions(ids))));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("BATCH_INVALID");
    }

    // ----- delete, move and restore: every key is checked before any storage call. Mallory owns nothing in
    // storage, so a route that acted before checking would make a storage call the tests count.

    /** The routes that take a key to delete, move or restore, each with {@code key} put where that route reads it. */
    static Stream<Arguments> keyRoutes() {
        return Stream.of(
                Arguments.of("DELETE /v1/files", (java.util.function.Function<String, Reply>) key ->
                        backend.as(MALLORY).send("DELETE", "/v1/files", Map.of("key", key), null)),
                Arguments.of("POST /v1/batch/deletions", (java.util.function.Function<String, Reply>) key ->
                        backend.as(MALLORY).post("/v1/batch/deletions", Json.write(Map.of("keys", List.of(
                                "u/mallory-0005/a.jpg", "u/mallory-0005/b.jpg", "u/mallory-0005/c.jpg", key))))),
                Arguments.of("POST /v1/moves (from)", (java.util.function.Function<String, Reply>) key ->
                        backend.as(MALLORY).post("/v1/moves", Json.write(Map.of("from", key, "to", "u/mallory-0005/renamed.jpg")))),
                Arguments.of("POST /v1/moves (to)", (java.util.function.Function<String, Reply>) key ->
                        backend.as(MALLORY).post("/v1/moves", Json.write(Map.of("from", "u/mallory-0005/a.jpg", "to", key)))),
                Arguments.of("POST /v1/restores", (java.util.function.Function<String, Reply>) key ->
                        backend.as(MALLORY_STAFF).post("/v1/restores", Json.write(Map.of("key", key)))));
    }

    /** Mallory as staff: may read the archive, so only the key can be why a restore is refused. */
    static final Map<String, String> MALLORY_STAFF = Map.of("sub", "mallory-0005", "cognito:groups", "[staff]");

    /** Keys no route may act on, as a restore of the archive would spell them (the other routes start in Mallory's folder). */
    static Stream<Arguments> hostileKeys() {
        String tooLong = "u/mallory-0005/" + "\u00e9".repeat(505);
        return Stream.of(
                Arguments.of("a parent folder", "u/mallory-0005/../x.jpg", "archives/../x.zip", "NAME_INVALID"),
                Arguments.of("another user's folder", "u/mallory-0005/../alice-0001/a.jpg", "archives/../u/alice-0001/a.jpg", "NAME_INVALID"),
                Arguments.of("a '.' folder", "u/mallory-0005/./a.jpg", "archives/./a.zip", "NAME_INVALID"),
                Arguments.of("a leading slash", "/u/mallory-0005/a.jpg", "/archives/a.zip", "NAME_INVALID"),
                Arguments.of("an empty part", "u/mallory-0005//a.jpg", "archives//a.zip", "NAME_INVALID"),
                Arguments.of("invalid Unicode", "u/mallory-0005/a\uD800.jpg", "archives/a\uD800.zip", "NAME_INVALID"),
                Arguments.of("a key over 1,024 bytes", tooLong, "archives/" + "\u00e9".repeat(510), "KEY_TOO_LONG"),
                Arguments.of("no key at all", "", "", "KEY_INVALID"));
    }

    static Stream<Arguments> hostileKeysOnEveryRoute() {
        return keyRoutes().flatMap(route -> hostileKeys().map(key -> Arguments.of(route.get()[0], key.get()[0],
                route.get()[0].equals("POST /v1/restores") ? key.get()[2] : key.get()[1], key.get()[3], route.get()[1])));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("hostileKeysOnEveryRoute")
    void aHostileKeyIsRefusedWith400BeforeAnyStorageCall(String route, String what, String key, String code,
                                                         java.util.function.Function<String, Reply> call) {
        Reply reply = refusedBeforeStorage(backend, () -> call.apply(key));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo(code);
        if (route.startsWith("POST /v1/batch")) {
            assertThat(reply.json().at("/error/message").asText()).startsWith("keys[3]: ");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyRoutes")
    void aKeyEndingInASlashIsAFolderAndIsRefusedBeforeAnyStorageCall(String route, java.util.function.Function<String, Reply> call) {
        String folder = route.equals("POST /v1/restores") ? "archives/case-1/" : "u/mallory-0005/shoot/";

        Reply reply = refusedBeforeStorage(backend, () -> call.apply(folder));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("KEY_INVALID");
        assertThat(reply.json().at("/error/message").asText()).contains("folder");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyRoutes")
    void anotherUsersKeyIsRefusedWith403BeforeAnyStorageCall(String route, java.util.function.Function<String, Reply> call) {
        Reply reply = refusedBeforeStorage(backend, () -> call.apply("u/alice-0001/private.tif"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
        assertThat(reply.errorCode()).isEqualTo("KEY_FORBIDDEN");
    }

    @Test
    void nobodyDeletesOrMovesInTheArchiveNotEvenStaffAndEachIsRefusedBeforeAnyStorageCall() {
        var sam = backend.as(SAM_STAFF);

        List<Reply> replies = List.of(
                refusedBeforeStorage(backend, () -> sam.send("DELETE", "/v1/files", Map.of("key", "archives/case-4411.zip"), null)),
                refusedBeforeStorage(backend, () -> sam.post("/v1/batch/deletions", "{\"keys\":[\"u/sam-0003/a.jpg\",\"archives/case-4411.zip\"]}")),
                refusedBeforeStorage(backend, () -> sam.post("/v1/moves", "{\"from\":\"archives/case-4411.zip\",\"to\":\"u/sam-0003/c.zip\"}")),
                refusedBeforeStorage(backend, () -> sam.post("/v1/moves", "{\"from\":\"u/sam-0003/c.zip\",\"to\":\"archives/c.zip\"}")));

        assertThat(replies).allSatisfy(r -> {
            assertThat(r.status()).as(r.toString()).isEqualTo(403);
            assertThat(r.errorCode()).isEqualTo("KEY_FORBIDDEN");
        });
        assertThat(replies.get(0).json().at("/error/message").asText()).isEqualTo("You may delete only files in your own folder.");
        assertThat(replies.get(1).json().at("/error/message").asText()).startsWith("keys[1]: ");
    }

    @Test
    void aMoveWritesOnlyNamesSkyliftWritesAndNeverOntoItselfRefusedBeforeAnyStorageCall() {
        var mallory = backend.as(MALLORY);
        Map<String, String> names = Map.of(
                "a control character", "u/mallory-0005/bad\u0007name.jpg",
                "a text-direction mark", "u/mallory-0005/gpj.\u202Eexe",
                "a backslash", "u/mallory-0005/a\\b.jpg");

        names.forEach((what, to) -> {
            Reply reply = refusedBeforeStorage(backend, () -> mallory.post("/v1/moves", Json.write(Map.of("from", "u/mallory-0005/a.jpg", "to", to))));
            assertThat(reply.status()).as(what).isEqualTo(400);
            assertThat(reply.errorCode()).as(what).isEqualTo("NAME_INVALID");
        });
        Reply same = refusedBeforeStorage(backend, () -> mallory.post("/v1/moves", "{\"from\":\"u/mallory-0005/a.jpg\",\"to\":\"u/mallory-0005/a.jpg\"}"));
        assertThat(same.status()).isEqualTo(400);
        assertThat(same.errorCode()).isEqualTo("MOVE_INVALID");
    }

    @Test
    void aBatchOf1001KeysOrNoneOrAKeyTwiceOrANullKeyIsRefusedBeforeAnyStorageCall() {
        var mallory = backend.as(MALLORY);
        List<String> thousandAndOne = IntStream.range(0, 1001).mapToObj("u/mallory-0005/IMG_%04d.JPG"::formatted).toList();
        List<String> twice = List.of("u/mallory-0005/a.jpg", "u/mallory-0005/b.jpg", "u/mallory-0005/a.jpg");
        List<String> withNull = new ArrayList<>(List.of("u/mallory-0005/a.jpg"));
        withNull.add(null);

        Reply tooMany = refusedBeforeStorage(backend, () -> mallory.post("/v1/batch/deletions", Json.write(Map.of("keys", thousandAndOne))));
        Reply empty = refusedBeforeStorage(backend, () -> mallory.post("/v1/batch/deletions", "{\"keys\":[]}"));
        Reply noBody = refusedBeforeStorage(backend, () -> mallory.post("/v1/batch/deletions", null));
        Reply duplicate = refusedBeforeStorage(backend, () -> mallory.post("/v1/batch/deletions", Json.write(Map.of("keys", twice))));
        Reply nullKey = refusedBeforeStorage(backend, () -> mallory.post("/v1/batch/deletions", Json.write(Map.of("keys", withNull))));

        for (Reply r : List.of(tooMany, empty, noBody, duplicate, nullKey)) {
            assertThat(r.status()).as(r.toString()).isEqualTo(400);
            assertThat(r.errorCode()).isEqualTo("BATCH_INVALID");
        }
        assertThat(tooMany.json().at("/error/message").asText()).contains("1 to 1000").contains("1001");
        assertThat(duplicate.json().at("/error/message").asText()).startsWith("keys[2]: ").contains("keys[0]");
        assertThat(nullKey.json().at("/error/message").asText()).startsWith("keys[1]: ");
    }

    @Test
    void anotherUsersForgedOrUploadIdAsAMoveIdIsRefusedBeforeAnyStorageCall() {
        // A move id sealed for Alice (her own files), and an upload id, which must never open as a move id.
        String alicesMove = new UploadSeal(backend.config.sealSecret()).seal(new io.skylift.backend.signing.SealedMoveId(
                "alice-0001", "u/alice-0001/a.tif", "u/alice-0001/b.tif", "an-upload", 40 * MIB, 8 * MIB, "\"etag\"", null));
        String forged = alicesMove.substring(0, alicesMove.lastIndexOf('.') + 1) + "AAAA" + alicesMove.substring(alicesMove.lastIndexOf('.') + 5);
        String uploadId = new UploadSeal(backend.config.sealSecret()).seal(new SealedUploadId(
                "bob-0002", "u/bob-0002/a.tif", "an-upload", 10 * MIB, 5 * MIB, 2, SealedUploadId.Scope.FULL));
        var bob = backend.as(BOB);

        Reply notBobs = refusedBeforeStorage(backend, () -> bob.post("/v1/moves/" + alicesMove + "/continue", null));
        Reply notBobsCancel = refusedBeforeStorage(backend, () -> bob.delete("/v1/moves/" + alicesMove));
        Reply altered = refusedBeforeStorage(backend, () -> backend.as(ALICE).post("/v1/moves/" + forged + "/continue", null));
        Reply wrongKind = refusedBeforeStorage(backend, () -> bob.post("/v1/moves/" + uploadId + "/continue", null));

        assertThat(notBobs.status()).isEqualTo(403);
        assertThat(notBobs.errorCode()).isEqualTo("MOVE_NOT_YOURS");
        assertThat(notBobsCancel.errorCode()).isEqualTo("MOVE_NOT_YOURS");
        assertThat(altered.errorCode()).isEqualTo("MOVE_ID_INVALID");
        assertThat(wrongKind.errorCode()).isEqualTo("MOVE_ID_INVALID");
    }
}
