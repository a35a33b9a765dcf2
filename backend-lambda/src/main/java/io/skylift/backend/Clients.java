package io.skylift.backend;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The AWS clients the backend uses, built once per container and handed to the handler, so tests
 * (and the sandbox) can pass their own.
 *
 * <p>The presigner needs no HTTP client. Control calls go through an {@link S3Client} on the JDK's
 * URL connection: no Apache or Netty in the function. Both are thread-safe.
 */
public record Clients(S3Client s3, S3Presigner presigner, IdentityProvider<? extends AwsCredentialsIdentity> credentials) {

    // Control calls are small, but completing a very large upload can keep S3 busy for a while
    // (it answers with keep-alive whitespace meanwhile); give up just inside API Gateway's 29 s.
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(25);

    /** Clients for the Lambda runtime: credentials from the default chain (the function's role). */
    public static Clients forLambda(Config config) {
        return create(config, DefaultCredentialsProvider.builder().build());
    }

    public static Clients create(Config config, AwsCredentialsProvider credentials) {
        return create(config, credentials, ClientOverrideConfiguration.builder().build());
    }

    /** @param overrides for the control client only, e.g. interceptors that observe calls */
    public static Clients create(Config config, AwsCredentialsProvider credentials, ClientOverrideConfiguration overrides) {
        Region region = Region.of(config.region());
        boolean pathStyle = config.s3Endpoint().isPresent();
        var s3 = S3Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(READ_TIMEOUT)
                        .build())
                // Control calls carry no file bytes: checksums only where S3 requires them.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .forcePathStyle(pathStyle)
                .overrideConfiguration(overrides);
        var presigner = S3Presigner.builder()
                .region(region)
                .credentialsProvider(credentials)
                // The two settings the presigner otherwise looks up in the environment and the profile
                // file on every URL (a twelfth of a presign's CPU), given as their defaults: the bucket is
                // a name, never an ARN.
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(pathStyle)
                        .useArnRegionEnabled(false).multiRegionEnabled(true).build());
        config.s3Endpoint().ifPresent(uri -> {
            s3.endpointOverride(uri);
            presigner.endpointOverride(uri);
        });
        return new Clients(s3.build(), presigner.build(), credentials);
    }
}
