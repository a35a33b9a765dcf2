package io.skylift.backend;

import com.fasterxml.jackson.databind.JsonNode;
import io.skylift.backend.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * Reads one secret from AWS Secrets Manager ({@code GetSecretValue}) with a SigV4-signed request on
 * the HTTP client the function already has: one call at start does not justify another SDK client.
 */
final class SecretsManagerSecret {

    private SecretsManagerSecret() {}

    /** The secret's current version (AWSCURRENT). */
    static String read(String arn, String region, AwsCredentialsProvider credentials, SdkHttpClient http, URI endpoint) {
        return call(Map.of("SecretId", arn), arn, region, credentials, http, endpoint, false).orElseThrow();
    }

    /**
     * The version before the current one (AWSPREVIOUS), which Secrets Manager keeps when a new value is
     * put or rotated in; empty when the secret was never rotated.
     */
    static Optional<String> readPrevious(String arn, String region, AwsCredentialsProvider credentials, SdkHttpClient http,
                                                   URI endpoint) {
        return call(Map.of("SecretId", arn, "VersionStage", PREVIOUS_STAGE), arn, region, credentials, http, endpoint, true);
    }

    static final String PREVIOUS_STAGE = "AWSPREVIOUS";

    private static Optional<String> call(Map<String, String> query, String arn, String region,
                                                   AwsCredentialsProvider credentials, SdkHttpClient http, URI endpoint,
                                                   boolean mayBeAbsent) {
        String body = Json.write(query);
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "secretsmanager.GetSecretValue")
                .build();
        var signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials.resolveCredentials())
                .request(request)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "secretsmanager")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        try {
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                    .request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null))
                    .build()).call();
            String text;
            try (InputStream in = response.responseBody().orElseThrow(() -> new IOException("empty answer"))) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            JsonNode json = Json.mapper().readTree(text);
            String type = json.path("__type").asText("");
            // A secret that exists but has no version under the stage asked for: never rotated.
            if (mayBeAbsent && response.httpResponse().statusCode() == 400 && type.endsWith("ResourceNotFoundException")) {
                return Optional.empty();
            }
            if (!response.httpResponse().isSuccessful() || !json.hasNonNull("SecretString")) {
                // The error's type and message name the problem (not found, access denied); never a secret.
                throw new Config.ConfigException(List.of("Cannot read the seal secret " + arn
                        + (mayBeAbsent ? " (" + PREVIOUS_STAGE + ")" : "") + ": HTTP "
                        + response.httpResponse().statusCode() + " " + type + " "
                        + json.path("message").asText(json.path("Message").asText(""))));
            }
            return Optional.of(json.get("SecretString").asText());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot reach Secrets Manager at " + endpoint + " to read the seal secret", e);
        }
    }

    static URI endpointFor(String region) {
        return URI.create("https://secretsmanager." + region + ".amazonaws.com/");
    }
}
