package io.skylift.backend;

import static io.skylift.backend.Callers.ALICE;
import static io.skylift.backend.UploadFlowTest.MIB;
import static io.skylift.backend.UploadFlowTest.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.backend.http.Json;
import io.skylift.backend.storage.CopyLimits;
import io.skylift.backend.storage.Crc32c;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * Moves through the real handler against S3Proxy. The handler copies files over 16 MiB part by part (8 MiB
 * parts) and each continue call starts no part after the first, so a 40 MiB file takes the path a file over
 * 5 GiB takes on S3, one part a call.
 */
class MoveRoutesTest {

    static final CopyLimits SMALL = new CopyLimits(16 * MIB, 8 * MIB, 8, Duration.ZERO);

    @TempDir
    static Path dir;
    static BackendUnderTest backend;

    @BeforeAll
    static void start() throws Exception {
        backend = BackendUnderTest.start(dir, SMALL);
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    static void put(String key, byte[] data) {
        backend.bucket.putObject(b -> b.bucket(backend.server.bucket()).key(key), RequestBody.fromBytes(data));
    }

    static byte[] stored(String key) {
        return backend.bucket.getObjectAsBytes(b -> b.bucket(backend.server.bucket()).key(key)).asByteArray();
    }

    static boolean exists(String key) {
        try {
            backend.bucket.headObject(b -> b.bucket(backend.server.bucket()).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    static boolean uploadsLeftFor(String key) {
        return backend.bucket.listMultipartUploads(b -> b.bucket(backend.server.bucket())).uploads().stream()
                .anyMatch(u -> u.key().equals(key));
    }

    static Reply move(String from, String to) {
        return backend.as(ALICE).post("/v1/moves", Json.write(Map.of("from", from, "to", to)));
    }

    @Test
    void aFileUpToTheSingleCopyLimitMovesInOneCallWithItsBytesAndChecksum() {
        var alice = backend.as(ALICE);
        byte[] data = randomBytes(7 * MIB + 17, 1);
        assertThat(UploadFlowTest.uploadMultipart(alice, "shoot", "IMG_0001.CR3", data, 5 * MIB).status()).isEqualTo(200);
        String sourceCrc = Crc32c.wholeObject(backend.bucket.headObject(b -> b.bucket(backend.server.bucket())
                .key("u/alice-0001/shoot/IMG_0001.CR3").checksumMode(ChecksumMode.ENABLED)).checksumCRC32C());

        Reply moved = move("u/alice-0001/shoot/IMG_0001.CR3", "u/alice-0001/kept/best.CR3");

        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(moved.json().get("state").asText()).isEqualTo("done");
        assertThat(moved.json().get("from").asText()).isEqualTo("u/alice-0001/shoot/IMG_0001.CR3");
        assertThat(moved.json().get("to").asText()).isEqualTo("u/alice-0001/kept/best.CR3");
        assertThat(moved.json().get("size").asLong()).isEqualTo(data.length);
        assertThat(moved.json().get("etag").asText()).isNotBlank();
        if (sourceCrc != null && !moved.json().get("crc32c").isNull()) {
            assertThat(moved.json().get("crc32c").asText()).isEqualTo(sourceCrc);
        }
        byte[] copy = UploadFlowTest.download(alice, "u/alice-0001/kept/best.CR3");
        assertThat(copy).isEqualTo(data);
        assertThat(PlainHttp.crc32c(copy)).isEqualTo(PlainHttp.crc32c(data));
        assertThat(exists("u/alice-0001/shoot/IMG_0001.CR3")).as("the source is gone").isFalse();
    }

    @Test
    void aFileOverTheSingleCopyLimitMovesPartByPartOnePartACallAndArrivesIntact() {
        byte[] data = randomBytes(40 * MIB, 2);
        put("u/alice-0001/big/scan.tif", data);

        Reply started = move("u/alice-0001/big/scan.tif", "u/alice-0001/big/scan-renamed.tif");

        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        assertThat(started.json().get("state").asText()).isEqualTo("copying");
        assertThat(started.json().get("partsDone").asInt()).isZero();
        assertThat(started.json().get("partsTotal").asInt()).isEqualTo(5);
        String id = started.json().get("id").asText();
        List<Integer> progress = new ArrayList<>();
        Reply last;
        int calls = 0;
        do {
            last = backend.as(ALICE).post("/v1/moves/" + id + "/continue", null);
            assertThat(last.status()).as(last.toString()).isIn(200, 202);
            if (last.status() == 202) {
                progress.add(last.json().get("partsDone").asInt());
            }
            calls++;
        } while (last.status() == 202 && calls < 20);

        assertThat(progress).as("each call copies within its budget: one part, then it answers").containsExactly(1, 2, 3, 4);
        assertThat(last.json().get("state").asText()).isEqualTo("done");
        assertThat(last.json().get("size").asLong()).isEqualTo(data.length);
        byte[] copy = stored("u/alice-0001/big/scan-renamed.tif");
        assertThat(copy).isEqualTo(data);
        assertThat(PlainHttp.crc32c(copy)).isEqualTo(PlainHttp.crc32c(data));
        assertThat(exists("u/alice-0001/big/scan.tif")).isFalse();
        assertThat(uploadsLeftFor("u/alice-0001/big/scan-renamed.tif")).isFalse();
        Reply again = backend.as(ALICE).post("/v1/moves/" + id + "/continue", null);
        assertThat(again.status()).as("a continue whose answer was lost answers done again").isEqualTo(200);
        assertThat(again.json().get("state").asText()).isEqualTo("done");
    }

    @Test
    void aMoveNeverReplacesAFileAndLeavesBothAsTheyWere() {
        byte[] mine = randomBytes(1000, 3);
        byte[] theirs = randomBytes(2000, 4);
        put("u/alice-0001/clash/a.jpg", mine);
        put("u/alice-0001/clash/b.jpg", theirs);

        Reply refused = move("u/alice-0001/clash/a.jpg", "u/alice-0001/clash/b.jpg");

        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo("OBJECT_EXISTS");
        assertThat(stored("u/alice-0001/clash/a.jpg")).isEqualTo(mine);
        assertThat(stored("u/alice-0001/clash/b.jpg")).isEqualTo(theirs);
    }

    /** Stores {@code data} at {@code key} with a whole-object CRC32C, as an upload through Skylift does. */
    static void putWithCrc32c(String key, byte[] data) {
        backend.bucket.putObject(b -> b.bucket(backend.server.bucket()).key(key).checksumCRC32C(PlainHttp.crc32c(data)),
                RequestBody.fromBytes(data));
    }

    /** The handler's next delete of {@code key} fails as S3 fails a request now and then: 503 SlowDown. */
    static void failNextDeleteOf(String key) {
        backend.beforeNextDeleteOf.put(key, () -> {
            throw BackendUnderTest.s3Error(503, "SlowDown", "Please reduce your request rate.");
        });
    }

    @Test
    void aMoveSentAgainAfterItsAnswerWasLostOnceCopiedFinishesIt() {
        byte[] data = randomBytes(5000, 14);
        putWithCrc32c("u/alice-0001/lost/a.jpg", data);
        failNextDeleteOf("u/alice-0001/lost/a.jpg");

        Reply failed = move("u/alice-0001/lost/a.jpg", "u/alice-0001/lost/b.jpg");
        Reply again = move("u/alice-0001/lost/a.jpg", "u/alice-0001/lost/b.jpg");

        assertThat(failed.status()).as("the copy is made, then deleting the source fails: " + failed).isEqualTo(503);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().get("state").asText()).isEqualTo("done");
        assertThat(again.json().get("size").asLong()).isEqualTo(data.length);
        assertThat(again.json().get("crc32c").asText()).isEqualTo(PlainHttp.crc32c(data));
        assertThat(stored("u/alice-0001/lost/b.jpg")).isEqualTo(data);
        assertThat(exists("u/alice-0001/lost/a.jpg")).as("the source is gone").isFalse();
    }

    @Test
    void aMultipartMoveWhoseLastAnswerWasLostFinishesOnTheNextContinue() {
        byte[] data = randomBytes(24 * MIB, 15);
        putWithCrc32c("u/alice-0001/lost/big.tif", data);
        String id = move("u/alice-0001/lost/big.tif", "u/alice-0001/lost/big-renamed.tif").json().get("id").asText();
        failNextDeleteOf("u/alice-0001/lost/big.tif");

        Reply last;
        int calls = 0;
        do {
            last = backend.as(ALICE).post("/v1/moves/" + id + "/continue", null);
        } while (last.status() == 202 && ++calls < 10);
        Reply again = backend.as(ALICE).post("/v1/moves/" + id + "/continue", null);

        assertThat(last.status()).as("the copy completes, then deleting the source fails: " + last).isEqualTo(503);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().get("state").asText()).isEqualTo("done");
        assertThat(again.json().get("size").asLong()).isEqualTo(data.length);
        assertThat(stored("u/alice-0001/lost/big-renamed.tif")).isEqualTo(data);
        assertThat(exists("u/alice-0001/lost/big.tif")).as("the source is gone").isFalse();
        assertThat(uploadsLeftFor("u/alice-0001/lost/big-renamed.tif")).isFalse();
    }

    @Test
    void aFileAtTheNameThatIsNotProvablyTheSourcesCopyIsStillNeverReplaced() {
        byte[] mine = randomBytes(4000, 16);
        byte[] sameSize = randomBytes(4000, 17);
        putWithCrc32c("u/alice-0001/twin/a.jpg", mine);
        putWithCrc32c("u/alice-0001/twin/other.jpg", sameSize);
        // The same bytes without a CRC32C: size alone does not prove it is the copy.
        put("u/alice-0001/twin/unchecked.jpg", mine);

        Reply other = move("u/alice-0001/twin/a.jpg", "u/alice-0001/twin/other.jpg");
        Reply unchecked = move("u/alice-0001/twin/a.jpg", "u/alice-0001/twin/unchecked.jpg");

        assertThat(other.status()).as(other.toString()).isEqualTo(409);
        assertThat(other.errorCode()).isEqualTo("OBJECT_EXISTS");
        assertThat(unchecked.status()).as(unchecked.toString()).isEqualTo(409);
        assertThat(unchecked.errorCode()).isEqualTo("OBJECT_EXISTS");
        assertThat(stored("u/alice-0001/twin/a.jpg")).isEqualTo(mine);
        assertThat(stored("u/alice-0001/twin/other.jpg")).isEqualTo(sameSize);
        assertThat(stored("u/alice-0001/twin/unchecked.jpg")).isEqualTo(mine);
    }

    @Test
    void aMoveStoppedByAChangedSourceNeverRemovesAFileWrittenAtTheNameMeanwhile() {
        byte[] data = randomBytes(3000, 18);
        put("u/alice-0001/meanwhile/a.jpg", data);
        byte[] edited = randomBytes(3000, 19);
        byte[] theirs = randomBytes(200, 20);
        // After the copy and its check, just before the source's removal: another client edits the source and
        // writes its own file where the copy is.
        backend.beforeNextDeleteOf.put("u/alice-0001/meanwhile/a.jpg", () -> {
            put("u/alice-0001/meanwhile/a.jpg", edited);
            put("u/alice-0001/meanwhile/b.jpg", theirs);
        });

        Reply moved = move("u/alice-0001/meanwhile/a.jpg", "u/alice-0001/meanwhile/b.jpg");

        assertThat(moved.status()).as(moved.toString()).isEqualTo(409);
        assertThat(moved.errorCode()).isEqualTo("SOURCE_CHANGED");
        assertThat(stored("u/alice-0001/meanwhile/a.jpg")).isEqualTo(edited);
        assertThat(stored("u/alice-0001/meanwhile/b.jpg")).as("the other client's file stays").isEqualTo(theirs);
    }

    @Test
    void aFileThatTakesTheNameDuringAMultipartMoveIsNotReplacedAndTheCopyIsFreed() {
        byte[] data = randomBytes(24 * MIB, 5);
        put("u/alice-0001/race/a.tif", data);
        String id = move("u/alice-0001/race/a.tif", "u/alice-0001/race/b.tif").json().get("id").asText();
        byte[] intruder = randomBytes(100, 6);

        Reply last;
        int calls = 0;
        do {
            last = backend.as(ALICE).post("/v1/moves/" + id + "/continue", null);
            if (calls++ == 0) {
                put("u/alice-0001/race/b.tif", intruder);
            }
        } while (last.status() == 202 && calls < 10);

        assertThat(last.status()).as(last.toString()).isEqualTo(409);
        assertThat(last.errorCode()).isEqualTo("OBJECT_EXISTS");
        assertThat(stored("u/alice-0001/race/b.tif")).isEqualTo(intruder);
        assertThat(stored("u/alice-0001/race/a.tif")).isEqualTo(data);
        assertThat(uploadsLeftFor("u/alice-0001/race/b.tif")).isFalse();
    }

    @Test
    void aSourceChangedBetweenContinueCallsStopsTheMoveAndLeavesNoUploadBehind() {
        byte[] data = randomBytes(40 * MIB, 7);
        put("u/alice-0001/edit/a.tif", data);
        String id = move("u/alice-0001/edit/a.tif", "u/alice-0001/edit/b.tif").json().get("id").asText();
        assertThat(backend.as(ALICE).post("/v1/moves/" + id + "/continue", null).json().get("partsDone").asInt()).isEqualTo(1);
        byte[] edited = randomBytes(40 * MIB, 8);
        put("u/alice-0001/edit/a.tif", edited);

        Reply changed = backend.as(ALICE).post("/v1/moves/" + id + "/continue", null);

        assertThat(changed.status()).as(changed.toString()).isEqualTo(409);
        assertThat(changed.errorCode()).isEqualTo("SOURCE_CHANGED");
        assertThat(uploadsLeftFor("u/alice-0001/edit/b.tif")).isFalse();
        assertThat(exists("u/alice-0001/edit/b.tif")).isFalse();
        assertThat(stored("u/alice-0001/edit/a.tif")).isEqualTo(edited);
    }

    @Test
    void aSourceChangedBeforeASingleCopyIsNeverDeleted() {
        // The copy is conditional on the ETag the move read: storage refuses it once the file is replaced.
        byte[] first = randomBytes(3000, 9);
        put("u/alice-0001/swap/a.jpg", first);
        String etag = backend.bucket.headObject(b -> b.bucket(backend.server.bucket()).key("u/alice-0001/swap/a.jpg")).eTag();
        byte[] second = randomBytes(3000, 10);
        put("u/alice-0001/swap/a.jpg", second);

        var refused = org.assertj.core.api.Assertions.catchThrowableOfType(software.amazon.awssdk.services.s3.model.S3Exception.class,
                () -> backend.bucket.copyObject(b -> b.sourceBucket(backend.server.bucket()).sourceKey("u/alice-0001/swap/a.jpg")
                        .destinationBucket(backend.server.bucket()).destinationKey("u/alice-0001/swap/b.jpg").copySourceIfMatch(etag)));
        Reply moved = move("u/alice-0001/swap/a.jpg", "u/alice-0001/swap/b.jpg");

        assertThat(refused.statusCode()).as("storage honours the condition the move relies on").isEqualTo(412);
        assertThat(moved.status()).isEqualTo(200);
        assertThat(stored("u/alice-0001/swap/b.jpg")).isEqualTo(second);
    }

    @Test
    void aMultipartMoveCanBeCancelledAndThenNoLongerContinues() {
        byte[] data = randomBytes(20 * MIB, 11);
        put("u/alice-0001/cancel/a.tif", data);
        String id = move("u/alice-0001/cancel/a.tif", "u/alice-0001/cancel/b.tif").json().get("id").asText();
        backend.as(ALICE).post("/v1/moves/" + id + "/continue", null);

        Reply cancelled = backend.as(ALICE).delete("/v1/moves/" + id);
        Reply after = backend.as(ALICE).post("/v1/moves/" + id + "/continue", null);

        assertThat(cancelled.status()).isEqualTo(204);
        assertThat(backend.as(ALICE).delete("/v1/moves/" + id).status()).as("cancelling again is harmless").isEqualTo(204);
        assertThat(uploadsLeftFor("u/alice-0001/cancel/b.tif")).isFalse();
        assertThat(after.status()).as(after.toString()).isEqualTo(404);
        assertThat(after.errorCode()).isEqualTo("MOVE_NOT_FOUND");
        assertThat(stored("u/alice-0001/cancel/a.tif")).isEqualTo(data);
        assertThat(exists("u/alice-0001/cancel/b.tif")).isFalse();
    }

    @Test
    void aMissingSourceIs404AndAnArchivedOneSaysToRestoreItFirst() {
        backend.bucket.putObject(b -> b.bucket(backend.server.bucket()).key("u/alice-0001/cold/a.tif").storageClass(StorageClass.GLACIER),
                RequestBody.fromBytes(randomBytes(100, 12)));

        Reply missing = move("u/alice-0001/cold/none.tif", "u/alice-0001/cold/b.tif");
        Reply archived = move("u/alice-0001/cold/a.tif", "u/alice-0001/cold/b.tif");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("FILE_NOT_FOUND");
        assertThat(archived.status()).as(archived.toString()).isEqualTo(409);
        assertThat(archived.errorCode()).isEqualTo("OBJECT_ARCHIVED");
        assertThat(exists("u/alice-0001/cold/b.tif")).isFalse();
        assertThat(exists("u/alice-0001/cold/a.tif")).isTrue();
    }

    @Test
    void theDestinationIsNamedAsAnUploadWouldNameIt() {
        put("u/alice-0001/nfc/a.jpg", randomBytes(10, 13));

        // "fête" typed on macOS (decomposed) lands where an upload of it would: the composed name.
        Reply moved = move("u/alice-0001/nfc/a.jpg", "u/alice-0001/nfc/fe\u0302te.jpg");

        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(moved.json().get("to").asText()).isEqualTo("u/alice-0001/nfc/f\u00eate.jpg");
        assertThat(exists("u/alice-0001/nfc/f\u00eate.jpg")).isTrue();
    }
}
