package io.skylift.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigTest {

    static final byte[] SECRET = secret();
    static final String SECRET_BASE64 = Base64.getEncoder().encodeToString(SECRET);

    static byte[] secret() {
        byte[] bytes = new byte[32];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (0xA0 + i);
        }
        return bytes;
    }

    /** A complete, valid environment, with {@code changes} applied (a null value removes the variable). */
    static Map<String, String> env(String... changes) {
        Map<String, String> env = new HashMap<>(Map.of(
                "SKYLIFT_BUCKET", "photos",
                "AWS_REGION", "eu-west-1",
                "SKYLIFT_SEAL_SECRET", SECRET_BASE64));
        for (int i = 0; i < changes.length; i += 2) {
            if (changes[i + 1] == null) {
                env.remove(changes[i]);
            } else {
                env.put(changes[i], changes[i + 1]);
            }
        }
        return env;
    }

    static String problemsOf(Map<String, String> env) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> Config.fromEnvironment(env));
        assertThat(thrown).isInstanceOf(Config.ConfigException.class);
        return thrown.getMessage();
    }

    @Test
    void aCompleteEnvironmentGivesItsValuesAndTheDefaults() {
        Config config = Config.fromEnvironment(env());

        assertThat(config.bucket()).isEqualTo("photos");
        assertThat(config.region()).isEqualTo("eu-west-1");
        assertThat(config.sealSecret()).isEqualTo(SECRET);
        assertThat(config.urlTtl()).isEqualTo(Duration.ofSeconds(300));
        assertThat(config.archivePrefix()).isEqualTo("archives/");
        assertThat(config.s3Endpoint()).isEmpty();
        assertThat(config.previousSealSecret()).isNull();
        assertThat(config.uploadIdLifetime()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void theDefaultMaxFileSizeIsFiveTebibytes() {
        assertThat(Config.fromEnvironment(env()).maxFileSize()).isEqualTo(5L * 1024 * 1024 * 1024 * 1024);
    }

    @Test
    void everyMissingRequiredVariableIsNamedInOneException() {
        String message = problemsOf(Map.of());

        assertThat(message).contains("SKYLIFT_BUCKET", "AWS_REGION", "SKYLIFT_SEAL_SECRET");
    }

    @Test
    void everyWrongValueIsNamedInOneException() {
        String message = problemsOf(env("SKYLIFT_BUCKET", null, "SKYLIFT_URL_TTL_SECONDS", "301",
                "SKYLIFT_MAX_FILE_SIZE", "-1", "SKYLIFT_ARCHIVE_PREFIX", "archives", "SKYLIFT_S3_ENDPOINT", "ftp://x"));

        assertThat(message).contains("SKYLIFT_BUCKET", "SKYLIFT_URL_TTL_SECONDS", "SKYLIFT_MAX_FILE_SIZE",
                "SKYLIFT_ARCHIVE_PREFIX", "SKYLIFT_S3_ENDPOINT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"301", "0", "-1", "3600", "five", "1.5"})
    void aUrlTtlOutside1To300SecondsIsRefused(String ttl) {
        assertThat(problemsOf(env("SKYLIFT_URL_TTL_SECONDS", ttl))).contains("SKYLIFT_URL_TTL_SECONDS");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 60, 300})
    void aUrlTtlFrom1To300SecondsIsUsed(int ttl) {
        assertThat(Config.fromEnvironment(env("SKYLIFT_URL_TTL_SECONDS", String.valueOf(ttl))).urlTtl())
                .isEqualTo(Duration.ofSeconds(ttl));
    }

    @Test
    void aMaxFileSizeAboveFiveTebibytesIsRefused() {
        assertThat(problemsOf(env("SKYLIFT_MAX_FILE_SIZE", String.valueOf(5L * 1024 * 1024 * 1024 * 1024 + 1))))
                .contains("SKYLIFT_MAX_FILE_SIZE");
    }

    @Test
    void aSmallerMaxFileSizeIsUsed() {
        assertThat(Config.fromEnvironment(env("SKYLIFT_MAX_FILE_SIZE", "1073741824")).maxFileSize()).isEqualTo(1L << 30);
    }

    @ParameterizedTest
    @ValueSource(strings = {"archives", "/archives/", "u/archives/", "u/", "/", ""})
    void anArchivePrefixThatIsNotAFolderOutsideUserFoldersIsRefused(String prefix) {
        assertThat(problemsOf(env("SKYLIFT_ARCHIVE_PREFIX", prefix))).contains("SKYLIFT_ARCHIVE_PREFIX");
    }

    @Test
    void anArchivePrefixEndingInASlashIsUsed() {
        assertThat(Config.fromEnvironment(env("SKYLIFT_ARCHIVE_PREFIX", "shared/archive/")).archivePrefix())
                .isEqualTo("shared/archive/");
    }

    @Test
    void aSealSecretShorterThan32BytesIsRefused() {
        assertThat(problemsOf(env("SKYLIFT_SEAL_SECRET", Base64.getEncoder().encodeToString(new byte[31]))))
                .contains("SKYLIFT_SEAL_SECRET");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "c2VjcmV0LXRoYXQtaXMtdG9vLXNob3J0",          // valid base64 of 24 bytes
            "not*base64*but*a*secret*all*the*same*!!",     // not base64
            "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB-_"}) // URL-safe alphabet, which the basic decoder refuses
    void aBadSealSecretIsNeverEchoedInTheMessage(String badSecret) {
        String message = problemsOf(env("SKYLIFT_SEAL_SECRET", badSecret));

        assertThat(message).contains("SKYLIFT_SEAL_SECRET").doesNotContain(badSecret.substring(0, 12));
    }

    @Test
    void aGoodSealSecretIsNeverInTheMessageWhenSomethingElseIsWrong() {
        String message = problemsOf(env("SKYLIFT_BUCKET", null));

        assertThat(message).doesNotContain(SECRET_BASE64).doesNotContain(SECRET_BASE64.substring(0, 12))
                .doesNotContain(HexFormat.of().formatHex(SECRET).substring(0, 12));
    }

    @Test
    void toStringNeverShowsTheSealSecret() {
        String text = Config.fromEnvironment(env()).toString();

        assertThat(text).contains("photos")
                .doesNotContain(SECRET_BASE64.substring(0, 12))
                .doesNotContain(Arrays.toString(SECRET).substring(0, 12))
                .doesNotContainIgnoringCase(HexFormat.of().formatHex(SECRET).substring(0, 12))
                .doesNotContain(new String(SECRET, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void anHttpEndpointIsAccepted() {
        assertThat(Config.fromEnvironment(env("SKYLIFT_S3_ENDPOINT", "http://127.0.0.1:9000")).s3Endpoint())
                .contains(URI.create("http://127.0.0.1:9000"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:9000", "ftp://host/", "http://", "not a url"})
    void anEndpointThatIsNotAnHttpUrlIsRefused(String endpoint) {
        assertThat(problemsOf(env("SKYLIFT_S3_ENDPOINT", endpoint))).contains("SKYLIFT_S3_ENDPOINT");
    }

    // ----- rotation and lifetime of upload ids -----

    static final byte[] PREVIOUS = Arrays.copyOf("the-secret-before-the-rotation!!".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 32);
    static final String PREVIOUS_BASE64 = Base64.getEncoder().encodeToString(PREVIOUS);

    @Test
    void thePreviousSealSecretIsReadBesideTheCurrentOne() {
        Config config = Config.fromEnvironment(env("SKYLIFT_SEAL_SECRET_PREVIOUS", PREVIOUS_BASE64));

        assertThat(config.sealSecret()).isEqualTo(SECRET);
        assertThat(config.previousSealSecret()).isEqualTo(PREVIOUS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"c2VjcmV0LXRoYXQtaXMtdG9vLXNob3J0", "not*base64*but*a*secret*all*the*same*!!"})
    void aBadPreviousSealSecretIsRefusedAndNeverEchoed(String bad) {
        String message = problemsOf(env("SKYLIFT_SEAL_SECRET_PREVIOUS", bad));

        assertThat(message).contains("SKYLIFT_SEAL_SECRET_PREVIOUS").doesNotContain(bad.substring(0, 12));
    }

    @Test
    void aPreviousSealSecretBesideASecretArnIsRefusedForTheSecretsOwnPreviousVersion() {
        String message = problemsOf(env("SKYLIFT_SEAL_SECRET", null,
                "SKYLIFT_SEAL_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:seal",
                "SKYLIFT_SEAL_SECRET_PREVIOUS", PREVIOUS_BASE64));

        assertThat(message).contains("SKYLIFT_SEAL_SECRET_PREVIOUS").contains("AWSPREVIOUS").doesNotContain(PREVIOUS_BASE64);
    }

    @Test
    void thePreviousSecretFromSecretsManagerMustBeLongEnoughToo() {
        Config config = Config.fromEnvironment(env("SKYLIFT_SEAL_SECRET", null,
                "SKYLIFT_SEAL_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:seal"));

        assertThat(config.withSealSecrets(SECRET, PREVIOUS).previousSealSecret()).isEqualTo(PREVIOUS);
        assertThat(config.withSealSecrets(SECRET, null).previousSealSecret()).isNull();
        assertThatThrownBy(() -> config.withSealSecrets(SECRET, new byte[31])).isInstanceOf(Config.ConfigException.class)
                .hasMessageContaining("AWSPREVIOUS").hasMessageContaining("at least 32");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "90", "365"})
    void theLifetimeOfUploadIdsIsSetInDays(String days) {
        assertThat(Config.fromEnvironment(env("SKYLIFT_UPLOAD_ID_DAYS", days)).uploadIdLifetime())
                .isEqualTo(Duration.ofDays(Long.parseLong(days)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "366", "-1", "thirty"})
    void aLifetimeOfUploadIdsOutside1To365DaysIsRefused(String days) {
        assertThat(problemsOf(env("SKYLIFT_UPLOAD_ID_DAYS", days))).contains("SKYLIFT_UPLOAD_ID_DAYS");
    }

    @Test
    void toStringNeverShowsThePreviousSealSecret() {
        String text = Config.fromEnvironment(env("SKYLIFT_SEAL_SECRET_PREVIOUS", PREVIOUS_BASE64)).toString();

        assertThat(text).doesNotContain(PREVIOUS_BASE64.substring(0, 12)).doesNotContain("the-secret-before");
    }
}
