package io.skylift.backend;

import static io.skylift.backend.Callers.ALICE;
import static io.skylift.backend.Callers.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.backend.signing.SealedUploadId;
import io.skylift.backend.signing.UploadSeal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an upload id is good for over time: it opens for a bounded time, survives a rotation of the
 * seal secret, and never reaches outside its holder's folder, on the real handler and storage.
 */
class UploadIdTest {

    static final int MIB = 1024 * 1024;
    static final String NEXT_SECRET = secret("next-secret-for-the-rotation-tests");
    static final String THIRD_SECRET = secret("third-secret-after-two-rotations!!");

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

    static String secret(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Starts a two-part upload (nothing sent) and returns its id. */
    static String startUpload(BackendUnderTest on, Map<String, String> caller, String name) {
        Reply created = on.as(caller).post("/v1/uploads", "{\"fileName\":\"%s\",\"size\":%d,\"partSize\":%d}"
                .formatted(name, 10 * MIB, 5 * MIB));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    static Reply parts(BackendUnderTest on, String id) {
        return on.as(ALICE).get("/v1/uploads/" + id + "/parts");
    }

    static Clock later(Duration by) {
        return Clock.offset(Clock.systemUTC(), by);
    }

    @Test
    void anIdOpensForThirtyDaysAndIsThenRefusedAsExpired() {
        String id = startUpload(backend, ALICE, "month.tif");

        try (var dayBefore = backend.alsoServing(Map.of(), later(Duration.ofDays(29)));
             var monthLater = backend.alsoServing(Map.of(), later(Duration.ofDays(30).plusMinutes(1)))) {
            Reply stillOpen = parts(dayBefore, id);
            Reply expired = parts(monthLater, id);

            assertThat(stillOpen.status()).as(stillOpen.toString()).isEqualTo(200);
            assertThat(expired.status()).as(expired.toString()).isEqualTo(410);
            assertThat(expired.errorCode()).isEqualTo("UPLOAD_ID_EXPIRED");
            assertThat(expired.json().at("/error/retryable").asBoolean()).isFalse();
            assertThat(expired.json().at("/error/message").asText()).contains("Start the upload again");
        }
    }

    @Test
    void theLifetimeOfAnIdIsConfigurable() {
        try (var oneDay = backend.alsoServing(Map.of("SKYLIFT_UPLOAD_ID_DAYS", "1"), Clock.systemUTC());
             var twoDaysLater = backend.alsoServing(Map.of("SKYLIFT_UPLOAD_ID_DAYS", "1"), later(Duration.ofDays(2)))) {
            String id = startUpload(oneDay, ALICE, "day.tif");

            assertThat(parts(twoDaysLater, id).errorCode()).isEqualTo("UPLOAD_ID_EXPIRED");
        }
    }

    @Test
    void anIdSealedBeforeARotationStillOpensWithThePreviousSecretAndNewIdsUseTheNewOne() {
        String before = startUpload(backend, ALICE, "rotated.tif");

        try (var rotated = backend.alsoServing(Map.of("SKYLIFT_SEAL_SECRET", NEXT_SECRET,
                "SKYLIFT_SEAL_SECRET_PREVIOUS", BackendUnderTest.SECRET), Clock.systemUTC())) {
            Reply opened = parts(rotated, before);
            String after = startUpload(rotated, ALICE, "after-rotation.tif");

            assertThat(opened.status()).as(opened.toString()).isEqualTo(200);
            assertThat(parts(rotated, after).status()).isEqualTo(200);
            assertThat(parts(backend, after).errorCode()).as("the old deployment never held the new secret")
                    .isEqualTo("UPLOAD_ID_INVALID");
        }
    }

    @Test
    void anIdSealedWithASecretNoLongerHeldIsRefused() {
        String id = startUpload(backend, ALICE, "retired.tif");

        try (var twiceRotated = backend.alsoServing(Map.of("SKYLIFT_SEAL_SECRET", THIRD_SECRET,
                "SKYLIFT_SEAL_SECRET_PREVIOUS", NEXT_SECRET), Clock.systemUTC())) {
            Reply refused = parts(twiceRotated, id);

            assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
            assertThat(refused.errorCode()).isEqualTo("UPLOAD_ID_INVALID");
        }
    }

    @Test
    void anIdWhoseSealedFileLiesOutsideTheCallersFolderIsRefusedAndTouchesNothing() {
        startUpload(backend, BOB, "bobs.tif");
        String bobsUpload = backend.bucket.listMultipartUploads(b -> b.bucket(backend.server.bucket())).uploads().stream()
                .filter(u -> u.key().equals("u/bob-0002/bobs.tif")).findFirst().orElseThrow().uploadId();
        // Sealed with the real secret, for Alice, naming Bob's file: what a bug in sealing or a leaked
        // secret could produce.
        String forged = new UploadSeal(Base64.getDecoder().decode(BackendUnderTest.SECRET)).seal(new SealedUploadId(
                "alice-0001", "u/bob-0002/bobs.tif", bobsUpload, 10L * MIB, 5L * MIB, 2, SealedUploadId.Scope.FULL));

        Reply abort = backend.as(ALICE).delete("/v1/uploads/" + forged);
        Reply list = backend.as(ALICE).get("/v1/uploads/" + forged + "/parts");

        assertThat(abort.status()).as(abort.toString()).isEqualTo(403);
        assertThat(abort.errorCode()).isEqualTo("UPLOAD_NOT_YOURS");
        assertThat(list.errorCode()).isEqualTo("UPLOAD_NOT_YOURS");
        assertThat(backend.bucket.listMultipartUploads(b -> b.bucket(backend.server.bucket())).uploads())
                .as("Bob's upload is still there").anyMatch(u -> u.uploadId().equals(bobsUpload));
    }
}
