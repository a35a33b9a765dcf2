package io.skylift.backend.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.skylift.backend.http.ApiError;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.identity.Role;
import io.skylift.backend.signing.SealedUploadId.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UploadSealTest {

    static final long MIB = 1024L * 1024;
    static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    static final Identity ALICE = new Identity("alice-0001", "alice", Set.of(Role.PHOTOGRAPHER));
    static final Identity BOB = new Identity("bob-0002", "bob", Set.of(Role.PHOTOGRAPHER));

    // 100 MiB + 5 bytes in 16 MiB parts: six full parts and a last one of 4 MiB + 5.
    static final SealedUploadId MULTIPART = new SealedUploadId("alice-0001", "u/alice-0001/2024/IMG_0001.CR3",
            "2~s3UploadId.with-odd_chars", 100 * MIB + 5, 16 * MIB, 7, Scope.FULL);

    final UploadSeal seal = new UploadSeal(secret(1));

    static byte[] secret(int seed) {
        byte[] secret = new byte[UploadSeal.MIN_SECRET_BYTES];
        for (int i = 0; i < secret.length; i++) {
            secret[i] = (byte) (seed * 31 + i * 7);
        }
        return secret;
    }

    static void assertApiError(ThrowingCallable call, int status, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.code()).isEqualTo(code);
        });
    }

    static String keyIdOf(String token) {
        return token.substring(0, token.indexOf('.'));
    }

    static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    static String withCharAt(String token, int index, char c) {
        return token.substring(0, index) + c + token.substring(index + 1);
    }

    @Test
    void aSealedIdOpensToTheSameFields() {
        String token = seal.seal(MULTIPART);

        assertThat(seal.open(token, ALICE)).isEqualTo(MULTIPART);
    }

    @Test
    void aSingleUploadWithoutS3UploadIdSurvivesTheRoundTrip() {
        var single = new SealedUploadId("alice-0001", "u/alice-0001/a.jpg", null, 10, 10, 1, Scope.FULL);

        SealedUploadId opened = seal.open(seal.seal(single), ALICE);

        assertThat(opened).isEqualTo(single);
        assertThat(opened.isSingle()).isTrue();
    }

    @Test
    void aKeyWithNonAsciiCharactersSurvivesTheRoundTrip() {
        var id = new SealedUploadId("alice-0001", "u/alice-0001/Caf\u00e9/\uD83D\uDE00 \"quoted\" \\ .jpg", "up",
                5 * MIB, 5 * MIB, 1, Scope.FULL);

        assertThat(seal.open(seal.seal(id), ALICE)).isEqualTo(id);
    }

    @Test
    void theTokenIsUrlSafeAndNamesTheKeyThatSealedItFirst() {
        String token = seal.seal(MULTIPART);

        assertThat(token).matches("[A-Za-z0-9_-]{8}\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(keyIdOf(token)).isEqualTo(keyIdOf(new UploadSeal(secret(1)).seal(MULTIPART)))
                .isNotEqualTo(keyIdOf(new UploadSeal(secret(2)).seal(MULTIPART)));
    }

    @Test
    void changingAnySingleCharacterOfThePayloadIsRefused() {
        String token = seal.seal(MULTIPART);
        int dot = token.lastIndexOf('.');
        for (int i = 0; i < dot; i++) {
            for (char c : BASE64URL.toCharArray()) {
                if (c == token.charAt(i)) {
                    continue;
                }
                String altered = withCharAt(token, i, c);
                assertThat(catchThrowable(() -> seal.open(altered, ALICE)))
                        .as("payload character %d changed to '%s'", i, c)
                        .isInstanceOfSatisfying(ApiError.class, e -> {
                            assertThat(e.status()).isEqualTo(403);
                            assertThat(e.code()).isEqualTo("UPLOAD_ID_INVALID");
                        });
            }
        }
    }

    @Test
    void changingAnySingleCharacterOfTheMacIsRefused() {
        String token = seal.seal(MULTIPART);
        int dot = token.lastIndexOf('.');
        for (int i = dot + 1; i < token.length(); i++) {
            for (char c : BASE64URL.toCharArray()) {
                if (c == token.charAt(i)) {
                    continue;
                }
                String altered = withCharAt(token, i, c);
                assertThat(catchThrowable(() -> seal.open(altered, ALICE)))
                        .as("MAC character %d of %d changed from '%s' to '%s'", i - dot - 1, token.length() - dot - 1,
                                token.charAt(i), c)
                        .isInstanceOfSatisfying(ApiError.class, e -> {
                            assertThat(e.status()).isEqualTo(403);
                            assertThat(e.code()).isEqualTo("UPLOAD_ID_INVALID");
                        });
            }
        }
    }

    @Test
    void replacingTheSeparatorIsRefused() {
        String token = seal.seal(MULTIPART);

        assertApiError(() -> seal.open(withCharAt(token, token.lastIndexOf('.'), 'A'), ALICE), 403, "UPLOAD_ID_INVALID");
    }

    @Test
    void anIdSealedWithAnotherSecretIsRefused() {
        String foreign = new UploadSeal(secret(2)).seal(MULTIPART);

        assertApiError(() -> seal.open(foreign, ALICE), 403, "UPLOAD_ID_INVALID");
    }

    @Test
    void aPayloadFromOneIdWithTheMacOfAnotherIsRefused() {
        String mine = seal.seal(MULTIPART);
        var bigger = new SealedUploadId("alice-0001", MULTIPART.key(), MULTIPART.s3UploadId(), 200 * MIB, 16 * MIB, 13, Scope.FULL);
        String other = seal.seal(bigger);
        String spliced = other.substring(0, other.lastIndexOf('.')) + mine.substring(mine.lastIndexOf('.'));

        assertApiError(() -> seal.open(spliced, ALICE), 403, "UPLOAD_ID_INVALID");
    }

    @Test
    void openingAnotherUsersIdIsRefused() {
        String alicesId = seal.seal(MULTIPART);

        assertApiError(() -> seal.open(alicesId, BOB), 403, "UPLOAD_NOT_YOURS");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "abc", "abc.", ".abc", "abc.def", "abc.!!!", "!!!.abc", "a b.c d",
            "eyJ4IjoxfQ.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "\u00e9\u00e9.\u00e9\u00e9"})
    void garbageIsRefused(String token) {
        assertApiError(() -> seal.open(token, ALICE), 403, "UPLOAD_ID_INVALID");
    }

    @Test
    void aNullIdIsRefused() {
        assertApiError(() -> seal.open(null, ALICE), 403, "UPLOAD_ID_INVALID");
    }

    @Test
    void aTenThousandCharacterIdIsRefused() {
        String token = "A".repeat(5000) + "." + "A".repeat(4999);

        assertApiError(() -> seal.open(token, ALICE), 403, "UPLOAD_ID_INVALID");
    }

    @Test
    void aValidIdWithJunkAppendedIsRefused() {
        String token = seal.seal(MULTIPART);

        assertApiError(() -> seal.open(token + "AAAA", ALICE), 403, "UPLOAD_ID_INVALID");
        assertApiError(() -> seal.open(token + ".", ALICE), 403, "UPLOAD_ID_INVALID");
        assertApiError(() -> seal.open("A" + token, ALICE), 403, "UPLOAD_ID_INVALID");
    }

    @Test
    void aSecretShorterThan32BytesIsRejectedAtConstruction() {
        assertThatThrownBy(() -> new UploadSeal(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UploadSeal(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSecretOf32BytesIsAccepted() {
        var seal32 = new UploadSeal(new byte[32]);

        assertThat(seal32.open(seal32.seal(MULTIPART), ALICE)).isEqualTo(MULTIPART);
    }

    @Test
    void changingTheSecretArrayAfterConstructionDoesNotChangeTheSeal() {
        byte[] secret = secret(3);
        var sealA = new UploadSeal(secret);
        String token = sealA.seal(MULTIPART);

        Arrays.fill(secret, (byte) 0);

        assertThat(sealA.open(token, ALICE)).isEqualTo(MULTIPART);
    }

    @Test
    void everyPartButTheLastHasThePartSize() {
        assertThat(MULTIPART.partLength(1)).isEqualTo(16 * MIB);
        assertThat(MULTIPART.partLength(6)).isEqualTo(16 * MIB);
    }

    @Test
    void theLastPartHasWhatIsLeft() {
        assertThat(MULTIPART.partLength(7)).isEqualTo(4 * MIB + 5);
    }

    @Test
    void theLastPartOfAnExactMultipleIsAFullPart() {
        var exact = new SealedUploadId("alice-0001", "k", "up", 48 * MIB, 16 * MIB, 3, Scope.FULL);

        assertThat(exact.partLength(3)).isEqualTo(16 * MIB);
    }

    @Test
    void theOnlyPartOfASingleUploadIsTheWholeFile() {
        var single = new SealedUploadId("alice-0001", "k", null, 12_345, 12_345, 1, Scope.FULL);

        assertThat(single.partLength(1)).isEqualTo(12_345);
    }

    @Test
    void requireFullOnAManageIdIsForbidden() {
        var manage = new SealedUploadId("alice-0001", "k", "up", 0, 0, 0, Scope.MANAGE);

        assertApiError(manage::requireFull, 403, "UPLOAD_ID_LIMITED");
    }

    @Test
    void theManageScopeSurvivesSealingSoTheOpenedIdIsStillLimited() {
        var manage = new SealedUploadId("alice-0001", "u/alice-0001/k", "up", 0, 0, 0, Scope.MANAGE);

        SealedUploadId opened = seal.open(seal.seal(manage), ALICE);

        assertThat(opened.scope()).isEqualTo(Scope.MANAGE);
        assertApiError(opened::requireFull, 403, "UPLOAD_ID_LIMITED");
    }

    @Test
    void requireFullOnAFullIdReturnsIt() {
        assertThat(MULTIPART.requireFull()).isSameAs(MULTIPART);
    }

    // ----- lifetime -----

    static final Instant ISSUED = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void anIdOpensUntilItsLifetimeIsOverAndIsThenRefusedAsExpired() {
        String token = new UploadSeal(secret(1), null, Duration.ofDays(30), at(ISSUED)).seal(MULTIPART);
        Instant expiry = ISSUED.plus(Duration.ofDays(30));

        assertThat(new UploadSeal(secret(1), null, Duration.ofDays(30), at(expiry.minusSeconds(1))).open(token, ALICE))
                .isEqualTo(MULTIPART);
        assertApiError(() -> new UploadSeal(secret(1), null, Duration.ofDays(30), at(expiry)).open(token, ALICE),
                410, "UPLOAD_ID_EXPIRED");
    }

    @Test
    void theExpiryIsTheOneSealedInTheIdNotTheLifetimeConfiguredWhenItIsOpened() {
        String shortLived = new UploadSeal(secret(1), null, Duration.ofDays(1), at(ISSUED)).seal(MULTIPART);
        var longLived = new UploadSeal(secret(1), null, Duration.ofDays(365), at(ISSUED.plus(Duration.ofDays(2))));

        assertApiError(() -> longLived.open(shortLived, ALICE), 410, "UPLOAD_ID_EXPIRED");
    }

    @Test
    void theExpiredMessageSaysWhenAndWhatToDo() {
        String token = new UploadSeal(secret(1), null, Duration.ofDays(30), at(ISSUED)).seal(MULTIPART);

        assertThatThrownBy(() -> new UploadSeal(secret(1), null, Duration.ofDays(30), at(ISSUED.plus(Duration.ofDays(40))))
                .open(token, ALICE))
                .hasMessageContaining("2026-12-31T10:00:00Z").hasMessageContaining("30 days").hasMessageContaining("Start the upload again");
    }

    // ----- rotation -----

    @Test
    void anIdSealedWithThePreviousSecretOpensAfterARotation() {
        String beforeRotation = new UploadSeal(secret(1)).seal(MULTIPART);
        var rotated = new UploadSeal(secret(2), secret(1), UploadSeal.DEFAULT_LIFETIME, Clock.systemUTC());

        assertThat(rotated.open(beforeRotation, ALICE)).isEqualTo(MULTIPART);
    }

    @Test
    void aRotatedSealSealsWithTheNewSecretOnly() {
        var rotated = new UploadSeal(secret(2), secret(1), UploadSeal.DEFAULT_LIFETIME, Clock.systemUTC());
        String afterRotation = rotated.seal(MULTIPART);

        assertThat(keyIdOf(afterRotation)).isEqualTo(keyIdOf(new UploadSeal(secret(2)).seal(MULTIPART)));
        assertApiError(() -> seal.open(afterRotation, ALICE), 403, "UPLOAD_ID_INVALID");
    }

    @Test
    void anIdNamingAKeyTheSealDoesNotHoldIsRefused() {
        String foreign = new UploadSeal(secret(3)).seal(MULTIPART);
        var rotated = new UploadSeal(secret(2), secret(1), UploadSeal.DEFAULT_LIFETIME, Clock.systemUTC());

        assertApiError(() -> rotated.open(foreign, ALICE), 403, "UPLOAD_ID_INVALID");
    }

    @Test
    void anIdWhoseKeyIdIsSwappedForAnotherHeldKeyIsRefused() {
        var rotated = new UploadSeal(secret(2), secret(1), UploadSeal.DEFAULT_LIFETIME, Clock.systemUTC());
        String token = rotated.seal(MULTIPART);
        String previousKeyId = keyIdOf(seal.seal(MULTIPART));

        assertApiError(() -> rotated.open(previousKeyId + token.substring(token.indexOf('.')), ALICE), 403, "UPLOAD_ID_INVALID");
    }

    @Test
    void aPreviousSecretShorterThan32BytesIsRejectedAtConstruction() {
        assertThatThrownBy(() -> new UploadSeal(secret(1), new byte[31], UploadSeal.DEFAULT_LIFETIME, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ----- ids sealed before key ids and expiry -----

    // Sealed by the release before key ids and expiry, with secret(1) and secret(2): MULTIPART's fields.
    static final String LEGACY_SECRET_1 = "WzEsImFsaWNlLTAwMDEiLCJ1L2FsaWNlLTAwMDEvMjAyNC9JTUdfMDAwMS5DUjMiLCIyfnMzVXBsb2FkSWQud2l0aC1vZGRfY2hhcnMiLDEwNDg1NzYwNSwxNjc3NzIxNiw3LCJGVUxMIl0"
            + ".LtanQ87CXj1frq3UigA_e6xaPrYeSCgTy3vYfdIce6c";
    static final String LEGACY_SECRET_2 = "WzEsImFsaWNlLTAwMDEiLCJ1L2FsaWNlLTAwMDEvMjAyNC9JTUdfMDAwMS5DUjMiLCIyfnMzVXBsb2FkSWQud2l0aC1vZGRfY2hhcnMiLDEwNDg1NzYwNSwxNjc3NzIxNiw3LCJGVUxMIl0"
            + ".YFQVgvZ01_n7gwpm0kV74VkLZnJRTPCdd0jQi53eoj4";

    @Test
    void anIdSealedByTheEarlierReleaseStillOpensHoweverOldItIs() {
        var yearsLater = new UploadSeal(secret(1), null, UploadSeal.DEFAULT_LIFETIME, at(Instant.parse("2030-01-01T00:00:00Z")));

        assertThat(yearsLater.open(LEGACY_SECRET_1, ALICE)).isEqualTo(MULTIPART);
    }

    @Test
    void anIdSealedByTheEarlierReleaseOpensWithThePreviousSecretAndNotOnceThatIsRetired() {
        var rotatedOnce = new UploadSeal(secret(3), secret(1), UploadSeal.DEFAULT_LIFETIME, Clock.systemUTC());
        var rotatedTwice = new UploadSeal(secret(4), secret(3), UploadSeal.DEFAULT_LIFETIME, Clock.systemUTC());

        assertThat(rotatedOnce.open(LEGACY_SECRET_1, ALICE)).isEqualTo(MULTIPART);
        assertApiError(() -> rotatedTwice.open(LEGACY_SECRET_1, ALICE), 403, "UPLOAD_ID_INVALID");
        assertApiError(() -> seal.open(LEGACY_SECRET_2, ALICE), 403, "UPLOAD_ID_INVALID");
    }

    @Test
    void anIdSealedByTheEarlierReleaseIsStillSomeoneElsesForBob() {
        assertApiError(() -> seal.open(LEGACY_SECRET_1, BOB), 403, "UPLOAD_NOT_YOURS");
    }

    // ----- the caller's folder -----

    @Test
    void anIdForTheCallerNamingAFileOutsideTheCallersFolderIsRefused() {
        var elsewhere = new SealedUploadId("alice-0001", "u/bob-0002/IMG_0001.CR3", "up", 10, 10, 1, Scope.FULL);
        var archive = new SealedUploadId("alice-0001", "archives/IMG_0001.CR3", "up", 10, 10, 1, Scope.FULL);
        var lookalike = new SealedUploadId("alice-0001", "u/alice-00012/IMG_0001.CR3", "up", 10, 10, 1, Scope.FULL);

        assertApiError(() -> seal.open(seal.seal(elsewhere), ALICE), 403, "UPLOAD_NOT_YOURS");
        assertApiError(() -> seal.open(seal.seal(archive), ALICE), 403, "UPLOAD_NOT_YOURS");
        assertApiError(() -> seal.open(seal.seal(lookalike), ALICE), 403, "UPLOAD_NOT_YOURS");
    }

    // ----- move ids: the same seal, under a domain of their own

    static final SealedMoveId MOVE = new SealedMoveId("alice-0001", "u/alice-0001/a/scan.tif", "u/alice-0001/b/scan.tif",
            "2~copyUpload", 6L * 1024 * MIB + 1, 256 * MIB, "\"0123abcd-25\"", null);

    @Test
    void aMoveIdOpensForItsOwnerWithEveryFieldAsSealed() {
        SealedMoveId opened = seal.openMove(seal.seal(MOVE), ALICE);

        assertThat(opened).isEqualTo(MOVE);
        assertThat(opened.partCount()).isEqualTo(25);
        assertThat(opened.lastByte(25)).isEqualTo(MOVE.size() - 1);
        assertThat(opened.firstByte(25)).isEqualTo(24 * 256 * MIB);
    }

    @Test
    void aMoveIdIsRefusedToAnotherUserAndAnUploadIdNeverOpensAsAMoveIdNorTheReverse() {
        String move = seal.seal(MOVE);
        String upload = seal.seal(MULTIPART);

        assertApiError(() -> seal.openMove(move, BOB), 403, "MOVE_NOT_YOURS");
        assertApiError(() -> seal.openMove(upload, ALICE), 403, "MOVE_ID_INVALID");
        assertApiError(() -> seal.open(move, ALICE), 403, "UPLOAD_ID_INVALID");
        assertApiError(() -> seal.openMove(withCharAt(move, move.length() - 2, move.charAt(move.length() - 2) == 'A' ? 'B' : 'A'), ALICE),
                403, "MOVE_ID_INVALID");
        assertApiError(() -> new UploadSeal(secret(2)).openMove(move, ALICE), 403, "MOVE_ID_INVALID");
    }

    @Test
    void aMoveIdExpiresAfterTheSameLifetimeAsAnUploadId() {
        Instant issued = Instant.parse("2026-11-22T10:00:00Z");
        String move = new UploadSeal(secret(1), null, java.time.Duration.ofDays(30), at(issued)).seal(MOVE);

        var dayBefore = new UploadSeal(secret(1), null, java.time.Duration.ofDays(30), at(issued.plus(java.time.Duration.ofDays(29))));
        var dayAfter = new UploadSeal(secret(1), null, java.time.Duration.ofDays(30), at(issued.plus(java.time.Duration.ofDays(31))));

        assertThat(dayBefore.openMove(move, ALICE)).isEqualTo(MOVE);
        assertApiError(() -> dayAfter.openMove(move, ALICE), 410, "MOVE_ID_EXPIRED");
    }

    @Test
    void aMoveIdSealedBeforeARotationStillOpens() {
        String move = new UploadSeal(secret(1)).seal(MOVE);

        var rotated = new UploadSeal(secret(2), secret(1), UploadSeal.DEFAULT_LIFETIME, Clock.systemUTC());

        assertThat(rotated.openMove(move, ALICE)).isEqualTo(MOVE);
    }
}
