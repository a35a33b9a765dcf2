package io.skylift.backend.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.skylift.backend.http.ApiError;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

class UrlSignerTest {

    static final String CRC32C = "yZRlqg==";
    static final String BUCKET = "photos";

    // The presigner's own credentials must never be the ones a URL is signed with.
    static final S3Presigner PRESIGNER = S3Presigner.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(URI.create("http://127.0.0.1:9"))
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("PRESIGNERDEFAULT", "unused")))
            .build();

    @AfterAll
    static void close() {
        PRESIGNER.close();
    }

    static UrlSigner signer(IdentityProvider<? extends AwsCredentialsIdentity> credentials, Duration ttl) {
        return new UrlSigner(PRESIGNER, credentials, BUCKET, ttl, Clock.systemUTC());
    }

    static UrlSigner signerWithBasicCredentials(Duration ttl) {
        return signer(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBASIC", "secret")), ttl);
    }

    static StaticCredentialsProvider sessionCredentialsExpiringAt(Instant expiry) {
        return StaticCredentialsProvider.create(AwsSessionCredentials.builder()
                .accessKeyId("ASIASESSION").secretAccessKey("secret").sessionToken("session-token")
                .expirationTime(expiry)
                .build());
    }

    static Map<String, String> query(String url) {
        Map<String, String> query = new HashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.put(name, value);
        }
        return query;
    }

    static List<String> signedHeaders(SignedRequest signed) {
        return Arrays.asList(query(signed.url()).get("X-Amz-SignedHeaders").split(";"));
    }

    static long expiresSeconds(SignedRequest signed) {
        return Long.parseLong(query(signed.url()).get("X-Amz-Expires"));
    }

    @Test
    void aUrlSignedWithSessionCredentialsDiesBeforeThem() {
        Instant expiry = Instant.now().plusSeconds(60);
        UrlSigner signer = signer(sessionCredentialsExpiringAt(expiry), Duration.ofSeconds(300));

        SignedRequest signed = signer.getObject("u/alice-0001/a.jpg", null, "a.jpg");

        assertThat(expiresSeconds(signed)).isBetween(40L, 50L);
        assertThat(signed.expiresAt()).isBeforeOrEqualTo(expiry);
    }

    @Test
    void everyKindOfUrlIsCutShortBySessionCredentials() {
        Instant expiry = Instant.now().plusSeconds(60);
        UrlSigner signer = signer(sessionCredentialsExpiringAt(expiry), Duration.ofSeconds(300));

        for (SignedRequest signed : List.of(
                signer.uploadPart("u/alice-0001/a.cr3", "upload-1", 1, 5 * 1024 * 1024, CRC32C),
                signer.putObject("u/alice-0001/a.jpg", 10, CRC32C, "image/jpeg"),
                signer.getObject("u/alice-0001/a.jpg", "\"etag\"", "a.jpg"))) {
            assertThat(expiresSeconds(signed)).isLessThanOrEqualTo(50L);
            assertThat(signed.expiresAt()).isBeforeOrEqualTo(expiry);
        }
    }

    @Test
    void theUrlIsSignedWithTheCredentialsItsLifetimeWasComputedFor() {
        UrlSigner signer = signer(sessionCredentialsExpiringAt(Instant.now().plusSeconds(60)), Duration.ofSeconds(300));

        Map<String, String> query = query(signer.getObject("u/alice-0001/a.jpg", null, "a.jpg").url());

        assertThat(query.get("X-Amz-Credential")).startsWith("ASIASESSION/");
        assertThat(query.get("X-Amz-Security-Token")).isEqualTo("session-token");
    }

    @Test
    void longLivedSessionCredentialsDoNotExtendTheConfiguredTtl() {
        UrlSigner signer = signer(sessionCredentialsExpiringAt(Instant.now().plus(Duration.ofHours(1))), Duration.ofSeconds(300));

        assertThat(expiresSeconds(signer.getObject("u/alice-0001/a.jpg", null, "a.jpg"))).isEqualTo(300);
    }

    @Test
    void withCredentialsThatNeverExpireTheLifetimeIsTheConfiguredTtl() {
        Instant before = Instant.now();

        SignedRequest signed = signerWithBasicCredentials(Duration.ofSeconds(300)).getObject("u/alice-0001/a.jpg", null, "a.jpg");

        assertThat(expiresSeconds(signed)).isEqualTo(300);
        assertThat(signed.expiresAt()).isCloseTo(before.plusSeconds(300), within(5, ChronoUnit.SECONDS));
        assertThat(query(signed.url()).get("X-Amz-Credential")).startsWith("AKIDBASIC/");
    }

    @Test
    void aShorterConfiguredTtlIsUsedAsIs() {
        SignedRequest signed = signerWithBasicCredentials(Duration.ofSeconds(120)).putObject("u/alice-0001/a.jpg", 10, CRC32C, "image/jpeg");

        assertThat(expiresSeconds(signed)).isEqualTo(120);
    }

    @Test
    void credentialsExpiringInThreeSecondsAskTheClientToComeBack() {
        UrlSigner signer = signer(sessionCredentialsExpiringAt(Instant.now().plusSeconds(3)), Duration.ofSeconds(300));

        assertThatThrownBy(() -> signer.getObject("u/alice-0001/a.jpg", null, "a.jpg"))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.code()).isEqualTo("CREDENTIALS_RENEWING");
                    assertThat(e.isRetryable()).isTrue();
                });
        assertThatThrownBy(() -> signer.uploadPart("u/alice-0001/a.cr3", "upload-1", 1, 10, CRC32C))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo("CREDENTIALS_RENEWING"));
    }

    @Test
    void expiredCredentialsAskTheClientToComeBack() {
        UrlSigner signer = signer(sessionCredentialsExpiringAt(Instant.now().minusSeconds(30)), Duration.ofSeconds(300));

        assertThatThrownBy(() -> signer.putObject("u/alice-0001/a.jpg", 10, CRC32C, "image/jpeg"))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.code()).isEqualTo("CREDENTIALS_RENEWING");
                });
    }

    @Test
    void aPartUrlSignsItsLengthHostAndChecksum() {
        SignedRequest signed = signerWithBasicCredentials(Duration.ofSeconds(300))
                .uploadPart("u/alice-0001/a.cr3", "upload-1", 3, 16 * 1024 * 1024, CRC32C);

        assertThat(signedHeaders(signed)).contains("content-length", "host", "x-amz-checksum-crc32c");
        Map<String, String> query = query(signed.url());
        assertThat(query).containsEntry("partNumber", "3").containsEntry("uploadId", "upload-1");
        assertThat(URI.create(signed.url()).getRawPath()).isEqualTo("/photos/u/alice-0001/a.cr3");
    }

    @Test
    void aPartUrlReturnsTheHeadersTheClientMustSendButNotHost() {
        SignedRequest signed = signerWithBasicCredentials(Duration.ofSeconds(300))
                .uploadPart("u/alice-0001/a.cr3", "upload-1", 3, 16 * 1024 * 1024, CRC32C);

        assertThat(signed.headers())
                .containsEntry("Content-Length", String.valueOf(16 * 1024 * 1024))
                .containsEntry("x-amz-checksum-crc32c", CRC32C);
        assertThat(signed.headers().keySet()).noneMatch(name -> name.equalsIgnoreCase("host"));
    }

    @Test
    void aSinglePutSignsIfNoneMatchSoItNeverReplacesAnObject() {
        SignedRequest signed = signerWithBasicCredentials(Duration.ofSeconds(300))
                .putObject("u/alice-0001/a.jpg", 1234, CRC32C, "image/jpeg");

        assertThat(signedHeaders(signed)).contains("if-none-match", "content-length", "x-amz-checksum-crc32c", "host");
        assertThat(signed.headers())
                .containsEntry("If-None-Match", "*")
                .containsEntry("Content-Length", "1234")
                .containsEntry("x-amz-checksum-crc32c", CRC32C);
        assertThat(signed.headers().keySet()).noneMatch(name -> name.equalsIgnoreCase("host"));
    }

    @Test
    void aGetWithAnEtagSignsIfMatch() {
        SignedRequest signed = signerWithBasicCredentials(Duration.ofSeconds(300))
                .getObject("u/alice-0001/a.jpg", "\"0123abcd\"", "a.jpg");

        assertThat(signedHeaders(signed)).contains("if-match");
        assertThat(signed.headers()).containsEntry("If-Match", "\"0123abcd\"");
    }

    @Test
    void aGetWithoutAnEtagHasNoIfMatch() {
        SignedRequest signed = signerWithBasicCredentials(Duration.ofSeconds(300))
                .getObject("u/alice-0001/a.jpg", null, "a.jpg");

        assertThat(signedHeaders(signed)).doesNotContain("if-match");
        assertThat(signed.headers().keySet()).noneMatch(name -> name.equalsIgnoreCase("if-match"));
    }

    @Test
    void aGetAsksS3ToNameTheDownloadAfterTheFileEncodedForAnyCharacter() {
        SignedRequest signed = signerWithBasicCredentials(Duration.ofSeconds(300))
                .getObject("u/alice-0001/x", null, "Caf\u00e9 & co.jpg");

        assertThat(query(signed.url()).get("response-content-disposition"))
                .isEqualTo("attachment; filename*=UTF-8''Caf%C3%A9%20%26%20co.jpg");
    }

    @Test
    void anAsteriskInTheDownloadNameIsPercentEncoded() {
        SignedRequest signed = signerWithBasicCredentials(Duration.ofSeconds(300))
                .getObject("u/alice-0001/x", null, "a*b.jpg");

        assertThat(query(signed.url()).get("response-content-disposition"))
                .isEqualTo("attachment; filename*=UTF-8''a%2Ab.jpg");
    }

    @Test
    void theSignedRequestNeverShowsItsUrlInToString() {
        SignedRequest signed = signerWithBasicCredentials(Duration.ofSeconds(300)).getObject("u/alice-0001/a.jpg", null, "a.jpg");

        assertThat(signed.toString()).doesNotContain("X-Amz-Signature").doesNotContain("127.0.0.1");
    }
}
