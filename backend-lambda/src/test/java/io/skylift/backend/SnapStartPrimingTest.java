package io.skylift.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.backend.route.SignParts;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * What a SnapStart snapshot is primed with: one signature and one JSON round trip, and no call to
 * S3, which a snapshot must not depend on. The S3 client counts every call it is asked to make
 * (nothing listens at its endpoint); the signer resolves credentials once per URL, so counting
 * resolutions counts signatures.
 */
class SnapStartPrimingTest {

    final AtomicInteger credentialResolutions = new AtomicInteger();
    final AtomicInteger s3Calls = new AtomicInteger();
    Handler handler;

    @BeforeEach
    void build() {
        Config config = Config.fromEnvironment(Map.of(
                "SKYLIFT_BUCKET", "photos",
                "AWS_REGION", "eu-west-1",
                "SKYLIFT_SEAL_SECRET", BackendUnderTest.SECRET,
                "SKYLIFT_S3_ENDPOINT", "http://127.0.0.1:9"));
        AwsCredentialsProvider credentials = () -> {
            credentialResolutions.incrementAndGet();
            return AwsBasicCredentials.create("AKIDEXAMPLE", "secret");
        };
        var counting = ClientOverrideConfiguration.builder().addExecutionInterceptor(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                s3Calls.incrementAndGet();
            }
        }).build();
        handler = new Handler(config, Clients.create(config, credentials, counting), Clock.systemUTC());
    }

    @Test
    void buildingTheHandlerSignsOnceWithoutCallingS3() {
        assertThat(s3Calls).hasValue(0);
        assertThat(credentialResolutions).as("URLs signed").hasValue(1);
    }

    @Test
    void theCheckpointHookSignsOnceMoreWithoutCallingS3() {
        handler.priming.beforeCheckpoint(null);

        assertThat(s3Calls).hasValue(0);
        assertThat(credentialResolutions).as("URLs signed, building included").hasValue(2);
    }

    @Test
    void primingReadsBackTheOneSignRequestBodyItWrote() {
        SignParts.Request body = handler.priming.prime();

        assertThat(body.parts()).containsExactly(new SignParts.PartRef(1, "AAAAAA=="));
    }
}
