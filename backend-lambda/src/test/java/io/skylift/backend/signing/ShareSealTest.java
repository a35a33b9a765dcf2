package io.skylift.backend.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skylift.backend.http.ApiError;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ShareSealTest {

    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final byte[] OTHER = "another-secret-of-thirty-two-byt".getBytes(StandardCharsets.US_ASCII);
    static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final SealedShare SHARE = new SealedShare("AAAAAAAAAAAAAAAAAAAAAA", "alice-0001", "u/alice-0001/shoot/",
            NOW, NOW.plus(Duration.ofDays(7)));

    static void refusedWith(Runnable open, int status, String code) {
        assertThatThrownBy(open::run).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.code()).isEqualTo(code);
        });
    }

    @Test
    void aShareSealedTwiceGivesTheSameTokenSoAListingHandsBackTheLinkItMade() {
        var seal = new ShareSeal(SECRET, null, CLOCK);

        assertThat(seal.seal(SHARE)).isEqualTo(seal.seal(SHARE));
        assertThat(seal.seal(SHARE)).isNotEqualTo(seal.seal(new SealedShare("AAAAAAAAAAAAAAAAAAAAAB", SHARE.subject(),
                SHARE.target(), SHARE.issued(), SHARE.expires())));
        assertThat(seal.open(seal.seal(SHARE))).isEqualTo(SHARE);
    }

    @Test
    void everyAlteredCharacterOfATokenMakesItNotFound() {
        var seal = new ShareSeal(SECRET, null, CLOCK);
        String token = seal.seal(SHARE);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) == '.') {
                continue;
            }
            char other = alphabet.charAt((alphabet.indexOf(token.charAt(i)) + 1) % alphabet.length());
            String altered = token.substring(0, i) + other + token.substring(i + 1);
            refusedWith(() -> seal.open(altered), 404, "SHARE_NOT_FOUND");
        }
    }

    @Test
    void aTokenOfAnotherSecretIsNotFoundUnlessThatSecretIsThePreviousOne() {
        String token = new ShareSeal(OTHER, null, CLOCK).seal(SHARE);

        refusedWith(() -> new ShareSeal(SECRET, null, CLOCK).open(token), 404, "SHARE_NOT_FOUND");
        assertThat(new ShareSeal(SECRET, OTHER, CLOCK).open(token)).isEqualTo(SHARE);
    }

    @Test
    void aTokenIsGoneFromTheSecondItExpires() {
        String token = new ShareSeal(SECRET, null, CLOCK).seal(SHARE);
        var atExpiry = new ShareSeal(SECRET, null, Clock.fixed(SHARE.expires(), ZoneOffset.UTC));
        var justBefore = new ShareSeal(SECRET, null, Clock.fixed(SHARE.expires().minusSeconds(1), ZoneOffset.UTC));

        assertThat(justBefore.open(token)).isEqualTo(SHARE);
        refusedWith(() -> atExpiry.open(token), 410, "SHARE_EXPIRED");
    }

    @Test
    void theNameOfAShareIsItsFilesOrItsFoldersWithTheSlash() {
        assertThat(SHARE.name()).isEqualTo("shoot/");
        assertThat(new SealedShare("x", "s", "u/s/a/b.jpg", NOW, NOW).name()).isEqualTo("b.jpg");
        assertThat(SHARE.toString()).doesNotContain("alice", "u/");
    }
}
