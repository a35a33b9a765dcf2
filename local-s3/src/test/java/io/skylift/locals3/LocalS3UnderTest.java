package io.skylift.locals3;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A {@link LocalS3} in a fresh folder for one test class, and the AWS SDK's S3 client pointed at
 * it, keeping the head of the last answer as it came off the wire (before the SDK reads it).
 *
 * <pre>{@code @RegisterExtension static final LocalS3UnderTest local = new LocalS3UnderTest();}</pre>
 */
final class LocalS3UnderTest implements BeforeAllCallback, AfterAllCallback {

    private Path dir;
    private LocalS3 server;
    private S3Client s3;
    private volatile SdkHttpResponse lastAnswer;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("local-s3-test");
        server = LocalS3.start(LocalS3.Settings.ephemeral(dir));
        s3 = S3Client.builder()
                .region(Region.of(server.region()))
                .endpointOverride(server.endpoint())
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
                        lastAnswer = context.httpResponse();
                    }
                }))
                .build();
    }

    /** The folder the server keeps its objects in. */
    Path dir() {
        return dir;
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        s3.close();
        server.close();
        try (Stream<Path> stored = Files.walk(dir)) {
            for (Path path : stored.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    S3Client s3() {
        return s3;
    }

    String bucket() {
        return server.bucket();
    }

    Faults faults() {
        return server.faults();
    }

    Archive archive() {
        return server.archive();
    }

    String accessKey() {
        return server.accessKey();
    }

    java.net.URI endpoint() {
        return server.endpoint();
    }

    SdkHttpResponse lastAnswer() {
        return lastAnswer;
    }
}
