package io.skylift.backend;

import io.skylift.backend.signing.UploadSeal;
import io.skylift.backend.storage.S3Limits;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backend's settings, read once at start from environment variables and checked all at once,
 * so a misconfigured function fails its first start with every problem named.
 *
 * <table>
 * <caption>Environment</caption>
 * <tr><td>SKYLIFT_BUCKET</td><td>required</td></tr>
 * <tr><td>AWS_REGION</td><td>required (Lambda sets it)</td></tr>
 * <tr><td>SKYLIFT_SEAL_SECRET</td><td>base64 of at least 32 random bytes, or</td></tr>
 * <tr><td>SKYLIFT_SEAL_SECRET_ARN</td><td>a Secrets Manager secret (at least 32 characters) read at start, with its
 *     AWSPREVIOUS version when it has one</td></tr>
 * <tr><td>SKYLIFT_SEAL_SECRET_PREVIOUS</td><td>optional, with SKYLIFT_SEAL_SECRET: the secret it replaced, whose ids
 *     still open during a rotation</td></tr>
 * <tr><td>SKYLIFT_UPLOAD_ID_DAYS</td><td>1..365, default 30: how long an upload id opens after it was issued</td></tr>
 * <tr><td>SKYLIFT_URL_TTL_SECONDS</td><td>1..300, default 300</td></tr>
 * <tr><td>SKYLIFT_MAX_FILE_SIZE</td><td>bytes, default and maximum S3's 5 TiB</td></tr>
 * <tr><td>SKYLIFT_ARCHIVE_PREFIX</td><td>default {@code archives/}</td></tr>
 * <tr><td>SKYLIFT_S3_ENDPOINT</td><td>optional, for S3-compatible servers (path-style)</td></tr>
 * <tr><td>SKYLIFT_MAX_SHARE_DAYS</td><td>1..365, default 30: the longest a share link may work</td></tr>
 * <tr><td>SKYLIFT_SHARE_BASE_URL</td><td>optional: the public address share links start with (a custom domain);
 *     by default the address each request came to</td></tr>
 * <tr><td>SKYLIFT_OIDC_ISSUER, SKYLIFT_OIDC_CLIENT_ID, SKYLIFT_OIDC_SCOPES</td><td>optional, served by /v1/config</td></tr>
 * </table>
 */
public record Config(String bucket, String region, Duration urlTtl, long maxFileSize, String archivePrefix,
                     byte[] sealSecret, byte[] previousSealSecret, Duration uploadIdLifetime,
                     Optional<String> sealSecretArn, Optional<URI> s3Endpoint, SignIn signIn, Duration maxShareLifetime,
                     Optional<URI> shareBaseUrl) {

    /** How long a share link works unless its maker says otherwise, and the most SKYLIFT_MAX_SHARE_DAYS allows. */
    public static final int DEFAULT_MAX_SHARE_DAYS = 30;

    /** The longest a presigned URL may live, whatever the configuration says. */
    public static final Duration MAX_URL_TTL = Duration.ofSeconds(300);

    /** What a client needs to sign in; all null where the deployment has no OIDC issuer (the sandbox). */
    public record SignIn(String issuer, String clientId, List<String> scopes) {}

    /** A configuration value that is missing or wrong; the message lists every problem found. */
    public static final class ConfigException extends RuntimeException {
        ConfigException(List<String> problems) {
            super("Skylift backend configuration is invalid:\n  - " + String.join("\n  - ", problems));
        }
    }

    public static Config fromEnvironment(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        String bucket = required(env, "SKYLIFT_BUCKET", problems);
        String region = env.get("SKYLIFT_REGION") == null || env.get("SKYLIFT_REGION").isBlank()
                ? env.get("AWS_REGION") : env.get("SKYLIFT_REGION");
        if (region == null || region.isBlank()) {
            problems.add("AWS_REGION is not set (Lambda sets it; set it yourself elsewhere, e.g. eu-west-1).");
        }
        long ttl = number(env, "SKYLIFT_URL_TTL_SECONDS", MAX_URL_TTL.toSeconds(), 1, MAX_URL_TTL.toSeconds(), problems);
        long maxSize = number(env, "SKYLIFT_MAX_FILE_SIZE", S3Limits.MAX_OBJECT_SIZE, 0, S3Limits.MAX_OBJECT_SIZE, problems);
        String archive = env.getOrDefault("SKYLIFT_ARCHIVE_PREFIX", "archives/");
        if (!archive.endsWith("/") || archive.startsWith("/") || archive.startsWith("u/") || archive.length() < 2) {
            problems.add("SKYLIFT_ARCHIVE_PREFIX must be a folder such as 'archives/' (ending in '/', not under 'u/'); was '" + archive + "'.");
        }
        long idDays = number(env, "SKYLIFT_UPLOAD_ID_DAYS", UploadSeal.DEFAULT_LIFETIME.toDays(), 1, 365, problems);
        String secretArn = env.get("SKYLIFT_SEAL_SECRET_ARN");
        byte[] secret = null;
        byte[] previous = null;
        String previousText = env.get("SKYLIFT_SEAL_SECRET_PREVIOUS");
        boolean hasPrevious = previousText != null && !previousText.isBlank();
        if (secretArn == null || secretArn.isBlank()) {
            secret = secret(env.get("SKYLIFT_SEAL_SECRET"), problems);
            previous = hasPrevious ? secret("SKYLIFT_SEAL_SECRET_PREVIOUS", previousText, problems) : null;
            secretArn = null;
        } else if (!secretArn.startsWith("arn:")) {
            problems.add("SKYLIFT_SEAL_SECRET_ARN must be a Secrets Manager ARN (arn:aws:secretsmanager:…); was '" + secretArn + "'.");
        } else if (hasPrevious) {
            problems.add("SKYLIFT_SEAL_SECRET_PREVIOUS goes with SKYLIFT_SEAL_SECRET; with SKYLIFT_SEAL_SECRET_ARN the previous"
                    + " secret is the secret's AWSPREVIOUS version.");
        }
        Optional<URI> endpoint = url(env, "SKYLIFT_S3_ENDPOINT", "http://127.0.0.1:9000", problems);
        long shareDays = number(env, "SKYLIFT_MAX_SHARE_DAYS", DEFAULT_MAX_SHARE_DAYS, 1, 365, problems);
        Optional<URI> shareBase = url(env, "SKYLIFT_SHARE_BASE_URL", "https://files.example.com", problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        String scopes = env.getOrDefault("SKYLIFT_OIDC_SCOPES", "openid profile email");
        var signIn = new SignIn(env.get("SKYLIFT_OIDC_ISSUER"), env.get("SKYLIFT_OIDC_CLIENT_ID"),
                List.of(scopes.trim().split("\\s+")));
        return new Config(bucket, region, Duration.ofSeconds(ttl), maxSize, archive, secret, previous, Duration.ofDays(idDays),
                Optional.ofNullable(secretArn), endpoint, signIn, Duration.ofDays(shareDays), shareBase);
    }

    private static Optional<URI> url(Map<String, String> env, String name, String example, List<String> problems) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(text.trim());
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return Optional.of(uri);
        } catch (IllegalArgumentException e) {
            problems.add(name + " must be an http(s) URL such as " + example + "; was '" + text + "'.");
            return Optional.empty();
        }
    }

    private static String required(Map<String, String> env, String name, List<String> problems) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            problems.add(name + " is not set.");
        }
        return value;
    }

    private static long number(Map<String, String> env, String name, long fallback, long min, long max, List<String> problems) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.add(name + " must be a whole number from " + min + " to " + max + "; was '" + value + "'.");
        return fallback;
    }

    private static byte[] secret(String value, List<String> problems) {
        if (value == null || value.isBlank()) {
            problems.add("Neither SKYLIFT_SEAL_SECRET (base64 of at least " + UploadSeal.MIN_SECRET_BYTES
                    + " random bytes, e.g. from `openssl rand -base64 32`) nor SKYLIFT_SEAL_SECRET_ARN is set.");
            return null;
        }
        return secret("SKYLIFT_SEAL_SECRET", value, problems);
    }

    private static byte[] secret(String name, String value, List<String> problems) {
        try {
            byte[] bytes = Base64.getDecoder().decode(value.trim());
            if (bytes.length >= UploadSeal.MIN_SECRET_BYTES) {
                return bytes;
            }
            problems.add(name + " decodes to " + bytes.length + " bytes; at least " + UploadSeal.MIN_SECRET_BYTES + " are needed.");
        } catch (IllegalArgumentException e) {
            // Never echo the value: it is a secret even when malformed.
            problems.add(name + " is not valid base64.");
        }
        return null;
    }

    /** This configuration with the seal secret read from where SKYLIFT_SEAL_SECRET_ARN points. */
    public Config withSealSecret(byte[] secret) {
        return withSealSecrets(secret, null);
    }

    /**
     * This configuration with the seal secrets read from where SKYLIFT_SEAL_SECRET_ARN points: its
     * current version and, during a rotation, its previous one (null when it has none).
     */
    public Config withSealSecrets(byte[] secret, byte[] previous) {
        List<String> problems = new ArrayList<>();
        if (secret.length < UploadSeal.MIN_SECRET_BYTES) {
            problems.add("The secret at SKYLIFT_SEAL_SECRET_ARN has " + secret.length + " bytes; at least "
                    + UploadSeal.MIN_SECRET_BYTES + " are needed.");
        }
        if (previous != null && previous.length < UploadSeal.MIN_SECRET_BYTES) {
            problems.add("The AWSPREVIOUS version of the secret at SKYLIFT_SEAL_SECRET_ARN has " + previous.length
                    + " bytes; at least " + UploadSeal.MIN_SECRET_BYTES + " are needed.");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Config(bucket, region, urlTtl, maxFileSize, archivePrefix, secret.clone(), previous == null ? null : previous.clone(),
                uploadIdLifetime, sealSecretArn, s3Endpoint, signIn, maxShareLifetime, shareBaseUrl);
    }

    @Override
    public String toString() {
        return "Config[bucket=" + bucket + ", region=" + region + ", urlTtl=" + urlTtl + ", maxFileSize=" + maxFileSize
                + ", archivePrefix=" + archivePrefix + ", s3Endpoint=" + s3Endpoint + ", uploadIdLifetime=" + uploadIdLifetime
                + ", sealSecret=<hidden>" + (previousSealSecret == null ? "" : ", previousSealSecret=<hidden>") + "]";
    }
}
