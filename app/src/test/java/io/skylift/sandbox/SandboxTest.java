package io.skylift.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32C;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

class SandboxTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final OkHttpClient HTTP = new OkHttpClient();
    static Sandbox sandbox;

    @BeforeAll
    static void start() throws IOException {
        sandbox = Sandbox.start(Sandbox.Settings.ephemeral());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    record Answer(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    static Answer call(String method, String pathAndQuery, String token, String json) throws IOException {
        var request = new Request.Builder().url(sandbox.info().api() + pathAndQuery)
                .method(method, json == null ? null : RequestBody.create(json, MediaType.get("application/json")));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try (Response response = HTTP.newCall(request.build()).execute()) {
            return new Answer(response.code(), response.body().string());
        }
    }

    static S3Client s3(String accessKey, String secretKey) {
        return S3Client.builder().region(Region.of(Sandbox.REGION)).endpointOverride(sandbox.info().s3Endpoint())
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build();
    }

    @Test
    void theTwoTokensSignInAsAPhotographerAndAStaffMember() throws IOException {
        JsonNode photographer = call("GET", "/v1/me", sandbox.info().photographerToken(), null).json();
        JsonNode staff = call("GET", "/v1/me", sandbox.info().staffToken(), null).json();

        assertThat(photographer.get("roles").toString()).isEqualTo("[\"photographer\"]");
        assertThat(staff.get("roles").toString()).isEqualTo("[\"staff\"]");
        assertThat(staff.get("readablePrefixes").toString()).contains("archives/");
    }

    @Test
    void aMissingOrUnknownTokenIsRefusedLikeApiGatewaysAuthorizerDoes() throws IOException {
        Answer missing = call("GET", "/v1/me", null, null);
        Answer unknown = call("GET", "/v1/files", "sbx_p_not-the-token", null);

        assertThat(missing.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.json().get("message").asText()).isEqualTo("Unauthorized");
        assertThat(call("GET", "/v1/config", null, null).status()).as("sign-in configuration is public").isEqualTo(200);
    }

    @Test
    void queryParametersArriveDecodedAsApiGatewayPassesThem() throws IOException {
        Answer listing = call("GET", "/v1/files?prefix=archives%2F&delimiter=%2F", sandbox.info().staffToken(), null);

        assertThat(listing.status()).as(listing.body()).isEqualTo(200);
        assertThat(listing.json().get("folders").toString()).contains("archives/welcome/");
    }

    @Test
    void aFileUploadedThroughTheApiIsInTheBucketForAnyS3Tool() throws IOException {
        byte[] data = "hello from the sandbox".getBytes(StandardCharsets.UTF_8);
        CRC32C crc = new CRC32C();
        crc.update(data);
        String crc32c = Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        JsonNode created = call("POST", "/v1/uploads", sandbox.info().photographerToken(),
                "{\"fileName\":\"hello.txt\",\"size\":%d,\"crc32c\":\"%s\"}".formatted(data.length, crc32c)).json();
        var put = new Request.Builder().url(created.get("single").get("url").asText())
                .put(RequestBody.create(data, MediaType.get("application/octet-stream")));
        created.get("single").get("headers").properties().forEach(h -> {
            if (!h.getKey().equalsIgnoreCase("Content-Length") && !h.getKey().equalsIgnoreCase("Content-Type")) {
                put.header(h.getKey(), h.getValue().asText());
            }
        });
        try (Response response = HTTP.newCall(put.build()).execute()) {
            assertThat(response.code()).isEqualTo(200);
        }

        try (S3Client s3 = s3(sandbox.info().s3AccessKey(), sandbox.info().s3SecretKey())) {
            byte[] stored = s3.getObjectAsBytes(b -> b.bucket(sandbox.info().bucket()).key("u/sandbox-photographer/hello.txt")).asByteArray();
            assertThat(stored).isEqualTo(data);
        }
    }

    @Test
    void theS3EndpointChecksSignatures() {
        try (S3Client s3 = s3(sandbox.info().s3AccessKey(), "not-the-secret")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket(sandbox.info().bucket())))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
    }
}
