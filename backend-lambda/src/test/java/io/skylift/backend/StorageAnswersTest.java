package io.skylift.backend;

import static io.skylift.backend.Callers.ALICE;
import static io.skylift.backend.UploadFlowTest.MIB;
import static io.skylift.backend.UploadFlowTest.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * What S3 answers in a race, or to the narrow permissions the template grants, and the sandbox answers
 * only when a test arms it: the backend still gives each caller the right answer.
 */
class StorageAnswersTest {

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
    }

    static boolean stored(String key) {
        try {
            backend.bucket.headObject(b -> b.bucket(backend.server.bucket()).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    static boolean unfinished(String key) {
        return backend.bucket.listMultipartUploads(b -> b.bucket(backend.server.bucket())).uploads().stream()
                .anyMatch(u -> u.key().equals(key));
    }

    @Test
    void aCompleteThatRacesAnotherOperationIsARetryableConflictAndStartingTheUploadAgainSucceeds() {
        var alice = backend.as(ALICE);
        byte[] data = randomBytes(5 * MIB + 10, 31);
        String key = "u/alice-0001/raced/IMG_0031.CR3";

        Reply raced = UploadFlowTest.upload(alice, "raced", "IMG_0031.CR3", data, 5 * MIB,
                () -> backend.server.faults().conflictOnNextComplete(key)).completed();

        assertThat(raced.status()).as(raced.toString()).isEqualTo(409);
        assertThat(raced.errorCode()).isEqualTo("UPLOAD_CONFLICT");
        assertThat(raced.json().at("/error/retryable").asBoolean()).isTrue();
        assertThat(raced.json().at("/error/message").asText()).contains("IMG_0031.CR3").contains("start this upload again");
        assertThat(stored(key)).isFalse();

        Reply again = UploadFlowTest.uploadMultipart(alice, "raced", "IMG_0031.CR3", data, 5 * MIB);

        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(UploadFlowTest.download(alice, key)).isEqualTo(data);
    }

    /**
     * A complete meeting the traces of its own earlier complete: 409 when S3 saw the two at the same moment,
     * 400 InvalidPart when the earlier one removed the parts as it stored the object (the S3 client retries a
     * complete that outlasts its read timeout, and the first attempt goes on).
     */
    @ParameterizedTest
    @ValueSource(strings = {"ConditionalRequestConflict", "InvalidPart"})
    void aCompleteThatRacesItsOwnEarlierCompleteAnswersWithTheStoredFile(String answer) {
        var alice = backend.as(ALICE);
        byte[] data = randomBytes(2 * 5 * MIB + 3, 32);
        String name = "IMG_0032-" + answer + ".CR3";
        String key = "u/alice-0001/raced/" + name;
        Runnable arm = answer.equals("InvalidPart")
                ? () -> backend.server.faults().invalidPartAfterNextComplete(key)
                : () -> backend.server.faults().conflictAfterNextComplete(key);

        Reply completed = UploadFlowTest.upload(alice, "raced", name, data, 5 * MIB, arm).completed();

        assertThat(completed.status()).as(completed.toString()).isEqualTo(200);
        assertThat(completed.json().get("key").asText()).isEqualTo(key);
        assertThat(completed.json().get("size").asLong()).isEqualTo(data.length);
        assertThat(UploadFlowTest.download(alice, key)).isEqualTo(data);
    }

    @Test
    void aCompleteRepeatedWhileTheFirstStillListsTheUploadAnswersWithTheStoredFile() {
        var alice = backend.as(ALICE);
        byte[] data = randomBytes(2 * 5 * MIB + 9, 39);
        String key = "u/alice-0001/raced/IMG_0039.CR3";
        UploadFlowTest.Uploaded first = UploadFlowTest.upload(alice, "raced", "IMG_0039.CR3", data, 5 * MIB,
                () -> backend.server.faults().listedOpenAfterNextComplete(key));
        assertThat(first.completed().status()).as(first.completed().toString()).isEqualTo(200);

        // The client lost the first answer; storage still lists the upload, with its parts gone into the object.
        Reply again = alice.post("/v1/uploads/" + first.id() + "/complete", "{\"crc32c\":\"" + PlainHttp.crc32c(data) + "\"}");

        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().get("key").asText()).isEqualTo(key);
        assertThat(again.json().get("size").asLong()).isEqualTo(data.length);
        assertThat(UploadFlowTest.download(alice, key)).isEqualTo(data);
    }

    @Test
    void aCompleteMissingPartsWhereAnotherFileIsStoredIsStillRefused() {
        var alice = backend.as(ALICE);
        byte[] data = randomBytes(2 * 5 * MIB + 11, 40);
        byte[] other = randomBytes(2 * 5 * MIB + 11, 41);
        String key = "u/alice-0001/raced/IMG_0040.CR3";
        Reply created = alice.post("/v1/uploads", """
                {"fileName":"IMG_0040.CR3","folder":"raced","size":%d,"checksum":"CRC32C","partSize":%d}
                """.formatted(data.length, 5 * MIB));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        // Another tool stores a file of the same size under the name while no part of this upload has arrived.
        backend.bucket.putObject(b -> b.bucket(backend.server.bucket()).key(key), RequestBody.fromBytes(other));

        Reply refused = alice.post("/v1/uploads/" + created.json().get("id").asText() + "/complete",
                "{\"crc32c\":\"" + PlainHttp.crc32c(data) + "\"}");

        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo("PARTS_INCOMPLETE");
        assertThat(UploadFlowTest.download(alice, key)).isEqualTo(other);
    }

    @Test
    void partsStorageRefusesWithNothingStoredAreAConflictToUploadAgain() {
        var alice = backend.as(ALICE);
        byte[] data = randomBytes(2 * 5 * MIB + 7, 38);
        String key = "u/alice-0001/raced/IMG_0038.CR3";

        Reply refused = UploadFlowTest.upload(alice, "raced", "IMG_0038.CR3", data, 5 * MIB,
                () -> backend.server.faults().invalidPartOnNextComplete(key)).completed();

        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo("PARTS_INVALID");
        assertThat(stored(key)).isFalse();
    }

    @Test
    void aCompleteThatRacesAnotherFileTakingTheNameLeavesThatFileAndFreesTheParts() {
        var alice = backend.as(ALICE);
        byte[] data = randomBytes(5 * MIB + 20, 33);
        byte[] other = randomBytes(1000, 34);
        String key = "u/alice-0001/raced/IMG_0033.CR3";

        Reply raced = UploadFlowTest.upload(alice, "raced", "IMG_0033.CR3", data, 5 * MIB, () -> {
            backend.bucket.putObject(b -> b.bucket(backend.server.bucket()).key(key), RequestBody.fromBytes(other));
            backend.server.faults().conflictOnNextComplete(key);
        }).completed();

        assertThat(raced.status()).as(raced.toString()).isEqualTo(409);
        assertThat(raced.errorCode()).isEqualTo("OBJECT_EXISTS");
        assertThat(UploadFlowTest.download(alice, key)).isEqualTo(other);
        assertThat(unfinished(key)).as("the losing upload's parts are freed").isFalse();
    }

    @Test
    void whereStorageAnswers403ForAMissingKeyAnUploadStillStartsAndFinishesAndAMissingFileIsNotFound() {
        var alice = backend.as(ALICE);
        byte[] data = randomBytes(5 * MIB + 40, 35);
        byte[] taken = randomBytes(100, 36);
        backend.bucket.putObject(b -> b.bucket(backend.server.bucket()).key("u/alice-0001/narrow/taken.tif"), RequestBody.fromBytes(taken));
        backend.server.faults().forbidMissingKeys();

        Reply completed = UploadFlowTest.uploadMultipart(alice, "narrow", "new.tif", data, 5 * MIB);
        Reply missing = alice.post("/v1/downloads", "{\"key\":\"u/alice-0001/narrow/missing.tif\"}");
        Reply missingLink = alice.get("/v1/files/content", Map.of("key", "u/alice-0001/narrow/missing.tif"));
        Reply existing = alice.post("/v1/uploads", "{\"folder\":\"narrow\",\"fileName\":\"taken.tif\",\"size\":100,\"crc32c\":\"AAAAAA==\"}");

        assertThat(completed.status()).as(completed.toString()).isEqualTo(200);
        assertThat(UploadFlowTest.download(alice, "u/alice-0001/narrow/new.tif")).isEqualTo(data);
        assertThat(missing.status()).as(missing.toString()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("FILE_NOT_FOUND");
        assertThat(missingLink.status()).as(missingLink.toString()).isEqualTo(404);
        assertThat(existing.status()).as(existing.toString()).isEqualTo(409);
        assertThat(existing.errorCode()).isEqualTo("OBJECT_EXISTS");
    }

    @Test
    void aReadStorageRefusesForAFileThatIsThereIsAStorageErrorNeverTakenForAbsence() {
        var alice = backend.as(ALICE);
        String key = "u/alice-0001/denied/there.tif";
        backend.bucket.putObject(b -> b.bucket(backend.server.bucket()).key(key), RequestBody.fromBytes(randomBytes(100, 37)));
        backend.server.faults().denyReadsUnder("u/alice-0001/denied/");

        Reply download = alice.post("/v1/downloads", "{\"key\":\"" + key + "\"}");
        Reply create = alice.post("/v1/uploads", "{\"folder\":\"denied\",\"fileName\":\"there.tif\",\"size\":100,\"crc32c\":\"AAAAAA==\"}");

        assertThat(download.status()).as(download.toString()).isEqualTo(500);
        assertThat(download.errorCode()).isEqualTo("STORAGE_ERROR");
        assertThat(create.status()).as(create.toString()).isEqualTo(500);
        assertThat(create.errorCode()).isEqualTo("STORAGE_ERROR");
    }
}
