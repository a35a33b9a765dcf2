package io.skylift.backend.signing;

import io.skylift.backend.http.ApiError;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Signs the only three requests that carry file bytes: a part PUT, a single PUT and a GET.
 *
 * <p>A part URL binds its part: {@code Content-Length} and {@code x-amz-checksum-crc32c} are signed
 * headers, so S3 refuses any other length or content. Lifetimes never exceed the configured TTL
 * (at most 300 s) nor outlive the credentials that sign them (a URL signed with expiring session
 * credentials dies with them). Thread-safe.
 */
public final class UrlSigner {

    // Credentials this close to expiry would sign URLs too short-lived to use; ask the client to come back.
    private static final Duration MIN_USEFUL_LIFETIME = Duration.ofSeconds(5);
    // Margin for clock differences between us and S3 at the end of the credentials' life.
    private static final Duration CREDENTIAL_MARGIN = Duration.ofSeconds(10);

    private final S3Presigner presigner;
    private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
    private final String bucket;
    private final Duration ttl;
    private final Clock clock;

    public UrlSigner(S3Presigner presigner, IdentityProvider<? extends AwsCredentialsIdentity> credentials,
                     String bucket, Duration ttl, Clock clock) {
        this.presigner = presigner;
        this.credentials = credentials;
        this.bucket = bucket;
        this.ttl = ttl;
        this.clock = clock;
    }

    public SignedRequest uploadPart(String key, String uploadId, int partNumber, long length, String crc32c) {
        Lifetime life = lifetime();
        var request = UploadPartRequest.builder()
                .bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                .contentLength(length).checksumCRC32C(crc32c)
                .overrideConfiguration(life.override())
                .build();
        return signed(presigner.presignUploadPart(p -> p.signatureDuration(life.duration()).uploadPartRequest(request)));
    }

    /** A whole small file in one PUT; {@code If-None-Match: *} is signed so it never replaces an object. */
    public SignedRequest putObject(String key, long length, String crc32c, String contentType) {
        Lifetime life = lifetime();
        var request = PutObjectRequest.builder()
                .bucket(bucket).key(key).contentLength(length).checksumCRC32C(crc32c).contentType(contentType)
                .ifNoneMatch("*")
                .overrideConfiguration(life.override())
                .build();
        return signed(presigner.presignPutObject(p -> p.signatureDuration(life.duration()).putObjectRequest(request)));
    }

    /**
     * A GET for all ranges of one object version.
     *
     * @param etag when given, {@code If-Match} is signed: the URL cannot read a replaced object
     */
    public SignedRequest getObject(String key, String etag, String fileName) {
        Lifetime life = lifetime();
        var request = GetObjectRequest.builder()
                .bucket(bucket).key(key).ifMatch(etag)
                .responseContentDisposition("attachment; filename*=UTF-8''"
                        + URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A"))
                .overrideConfiguration(life.override())
                .build();
        return signed(presigner.presignGetObject(p -> p.signatureDuration(life.duration()).getObjectRequest(request)));
    }

    public Duration ttl() {
        return ttl;
    }

    private record Lifetime(Duration duration, AwsCredentialsIdentity identity) {
        AwsRequestOverrideConfiguration override() {
            return AwsRequestOverrideConfiguration.builder().credentialsProvider(new Fixed(identity)).build();
        }
    }

    /** Exactly the credentials the lifetime was computed for. */
    private record Fixed(AwsCredentialsIdentity identity) implements IdentityProvider<AwsCredentialsIdentity> {
        @Override
        public Class<AwsCredentialsIdentity> identityType() {
            return AwsCredentialsIdentity.class;
        }

        @Override
        public java.util.concurrent.CompletableFuture<AwsCredentialsIdentity> resolveIdentity(
                software.amazon.awssdk.identity.spi.ResolveIdentityRequest request) {
            return java.util.concurrent.CompletableFuture.completedFuture(identity);
        }
    }

    // Resolve the credentials once and sign with exactly those, so the lifetime computed from their
    // expiry is the lifetime of the URL.
    private Lifetime lifetime() {
        AwsCredentialsIdentity identity = credentials.resolveIdentity().join();
        Duration duration = ttl;
        if (identity.expirationTime().isPresent()) {
            Duration left = Duration.between(clock.instant(), identity.expirationTime().get()).minus(CREDENTIAL_MARGIN);
            if (left.compareTo(duration) < 0) {
                if (left.compareTo(MIN_USEFUL_LIFETIME) < 0) {
                    throw ApiError.unavailable("CREDENTIALS_RENEWING",
                            "The service is renewing its credentials; try again in a few seconds.");
                }
                duration = left;
            }
        }
        return new Lifetime(duration, identity);
    }

    private static SignedRequest signed(PresignedRequest presigned) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> header : presigned.signedHeaders().entrySet()) {
            if (!header.getKey().equalsIgnoreCase("host")) {
                headers.put(canonical(header.getKey()), String.join(",", header.getValue()));
            }
        }
        return new SignedRequest(presigned.url().toString(), headers, presigned.expiration());
    }

    private static String canonical(String header) {
        return switch (header.toLowerCase(java.util.Locale.ROOT)) {
            case "content-length" -> "Content-Length";
            case "content-type" -> "Content-Type";
            case "if-match" -> "If-Match";
            case "if-none-match" -> "If-None-Match";
            default -> header;
        };
    }

    /** Signs once without network, so a snapshot of the process (SnapStart) holds a warm signer. */
    public void prime() {
        getObject("u/prime/prime", null, "prime");
    }

    /** Instant of now per this signer's clock. */
    public Instant now() {
        return clock.instant();
    }
}
