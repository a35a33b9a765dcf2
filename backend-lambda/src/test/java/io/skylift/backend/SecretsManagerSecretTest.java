package io.skylift.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The seal secret is read from Secrets Manager at start. Secrets Manager is an AWS service, a true
 * edge of this system: a local HTTP server plays it, and the test checks what the function sends.
 */
class SecretsManagerSecretTest {

    static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:skylift-seal-AbCdEf";
    MockWebServer secretsManager;

    @BeforeEach
    void start() throws Exception {
        secretsManager = new MockWebServer();
        secretsManager.start();
    }

    @AfterEach
    void stop() {
        secretsManager.close();
    }

    String read() {
        return SecretsManagerSecret.read(ARN, "eu-west-1", StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")),
                UrlConnectionHttpClient.create(), secretsManager.url("/").uri());
    }

    @Test
    void theSecretIsAskedForWithASignedGetSecretValueCall() throws Exception {
        secretsManager.enqueue(new MockResponse.Builder().code(200)
                .body("{\"ARN\":\"" + ARN + "\",\"SecretString\":\"k3YzR8qXo1tL0mN5pQ2wE7rT9yU4iO6aS3dF8gH1jK5lZ2xC\"}").build());

        String secret = read();

        RecordedRequest request = secretsManager.takeRequest();
        assertThat(secret).isEqualTo("k3YzR8qXo1tL0mN5pQ2wE7rT9yU4iO6aS3dF8gH1jK5lZ2xC");
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getHeaders().get("X-Amz-Target")).isEqualTo("secretsmanager.GetSecretValue");
        assertThat(request.getHeaders().get("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/").contains("/eu-west-1/secretsmanager/aws4_request");
        assertThat(request.getBody().utf8()).isEqualTo("{\"SecretId\":\"" + ARN + "\"}");
    }

    @Test
    void aRefusalSaysWhichSecretAndWhyWithoutAnySecretValue() {
        secretsManager.enqueue(new MockResponse.Builder().code(400)
                .body("{\"__type\":\"ResourceNotFoundException\",\"message\":\"Secrets Manager can't find the specified secret.\"}").build());

        assertThatThrownBy(this::read).isInstanceOf(Config.ConfigException.class)
                .hasMessageContaining(ARN).hasMessageContaining("ResourceNotFoundException");
    }

    @Test
    void aSecretArnReplacesTheInlineSecretAndMustBeLongEnough() {
        Config config = Config.fromEnvironment(Map.of("SKYLIFT_BUCKET", "b", "AWS_REGION", "eu-west-1", "SKYLIFT_SEAL_SECRET_ARN", ARN));

        assertThat(config.sealSecret()).isNull();
        assertThat(config.sealSecretArn()).contains(ARN);
        assertThatThrownBy(() -> config.withSealSecret("too short".getBytes())).isInstanceOf(Config.ConfigException.class)
                .hasMessageContaining("at least 32");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("SKYLIFT_BUCKET", "b", "AWS_REGION", "eu-west-1",
                "SKYLIFT_SEAL_SECRET_ARN", "my-secret"))).hasMessageContaining("must be a Secrets Manager ARN");
    }

    java.util.Optional<String> readPrevious() {
        return SecretsManagerSecret.readPrevious(ARN, "eu-west-1", StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")),
                UrlConnectionHttpClient.create(), secretsManager.url("/").uri());
    }

    @Test
    void thePreviousSecretIsAskedForByItsVersionStage() throws Exception {
        secretsManager.enqueue(new MockResponse.Builder().code(200)
                .body("{\"ARN\":\"" + ARN + "\",\"SecretString\":\"the-one-before-k3YzR8qXo1tL0mN5pQ2wE7rT9yU4\",\"VersionStages\":[\"AWSPREVIOUS\"]}").build());

        var previous = readPrevious();

        RecordedRequest request = secretsManager.takeRequest();
        assertThat(previous).contains("the-one-before-k3YzR8qXo1tL0mN5pQ2wE7rT9yU4");
        assertThat(io.skylift.backend.http.Json.mapper().readTree(request.getBody().utf8()))
                .isEqualTo(io.skylift.backend.http.Json.mapper().readTree("{\"SecretId\":\"" + ARN + "\",\"VersionStage\":\"AWSPREVIOUS\"}"));
        assertThat(request.getHeaders().get("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/");
    }

    @Test
    void aSecretNeverRotatedHasNoPreviousVersionAndThatIsNoError() {
        secretsManager.enqueue(new MockResponse.Builder().code(400)
                .body("{\"__type\":\"ResourceNotFoundException\",\"message\":\"Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS\"}").build());

        assertThat(readPrevious()).isEmpty();
    }

    @Test
    void aPreviousVersionThatCannotBeReadForAnotherReasonStopsTheStart() {
        secretsManager.enqueue(new MockResponse.Builder().code(400)
                .body("{\"__type\":\"AccessDeniedException\",\"message\":\"not allowed\"}").build());

        assertThatThrownBy(this::readPrevious).isInstanceOf(Config.ConfigException.class)
                .hasMessageContaining(ARN).hasMessageContaining("AWSPREVIOUS").hasMessageContaining("AccessDeniedException");
    }
}
