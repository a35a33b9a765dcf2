package io.skylift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class SandboxCommandIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final OkHttpClient HTTP = new OkHttpClient();

    static int status(String api, String path, String token) throws IOException {
        try (Response response = HTTP.newCall(new Request.Builder().url(api + path).header("Authorization", "Bearer " + token).build()).execute()) {
            return response.code();
        }
    }

    static S3Client s3(JsonNode info) {
        return S3Client.builder().region(Region.US_EAST_1).endpointOverride(java.net.URI.create(info.get("s3Endpoint").asText()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        info.get("s3AccessKey").asText(), info.get("s3SecretKey").asText())))
                .build();
    }

    @Test
    void withJsonItPrintsExactlyOneLineWithTheDocumentedFieldsOnceReady() throws Exception {
        try (var sandbox = SkyliftProcess.start("sandbox", "--port", "0", "--json")) {
            JsonNode info = JSON.readTree(sandbox.readLine());

            List<String> fields = new ArrayList<>();
            info.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactly("api", "photographerToken", "staffToken", "s3Endpoint", "s3AccessKey", "s3SecretKey", "bucket");
            assertThat(status(info.get("api").asText(), "/v1/me", info.get("photographerToken").asText())).isEqualTo(200);
            assertThat(status(info.get("api").asText(), "/v1/me", info.get("staffToken").asText())).isEqualTo(200);
            try (S3Client s3 = s3(info)) {
                assertThat(s3.listObjectsV2(b -> b.bucket(info.get("bucket").asText())).contents()).isNotEmpty();
            }
            sandbox.interrupt();
            // 130 is how a process ended by Ctrl-C (SIGINT) reports; waitFor fails if it keeps running.
            assertThat(sandbox.waitFor(Duration.ofSeconds(30))).as("Ctrl-C stops it").isEqualTo(130);
            assertThat(sandbox.readLine()).as("nothing more on standard output").isNull();
        }
    }

    @Test
    void withADataFolderFilesTokensAndCredentialsSurviveARestart(@TempDir Path data) throws Exception {
        JsonNode first;
        try (var sandbox = SkyliftProcess.start("sandbox", "--port", "0", "--json", "--data", data.toString())) {
            first = JSON.readTree(sandbox.readLine());
            try (S3Client s3 = s3(first)) {
                s3.putObject(b -> b.bucket("skylift").key("u/sandbox-photographer/kept.txt"), RequestBody.fromString("kept"));
            }
            sandbox.stop();
        }

        try (var sandbox = SkyliftProcess.start("sandbox", "--port", "0", "--json", "--data", data.toString())) {
            JsonNode second = JSON.readTree(sandbox.readLine());

            assertThat(second.get("photographerToken")).isEqualTo(first.get("photographerToken"));
            assertThat(second.get("s3SecretKey")).isEqualTo(first.get("s3SecretKey"));
            assertThat(status(second.get("api").asText(), "/v1/me", first.get("photographerToken").asText())).isEqualTo(200);
            try (S3Client s3 = s3(second)) {
                assertThat(s3.getObjectAsBytes(b -> b.bucket("skylift").key("u/sandbox-photographer/kept.txt")).asString(StandardCharsets.UTF_8))
                        .isEqualTo("kept");
            }
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("sandbox.json"))))
                .as("the file holding the tokens is the owner's alone").isEqualTo("rw-------");
    }

    @Test
    void withoutJsonItTellsAPersonEverythingNeededToUseIt() throws Exception {
        try (var sandbox = SkyliftProcess.start("sandbox", "--port", "0")) {
            StringBuilder text = new StringBuilder();
            String line;
            while ((line = sandbox.readLine()) != null && !line.startsWith("  export")) {
                text.append(line).append('\n');
            }
            text.append(line);

            assertThat(text).contains("API", "Photographer", "Staff", "S3 endpoint", "S3 access key", "S3 secret key", "Ctrl-C",
                    "export SKYLIFT_API=http://127.0.0.1:");
        }
    }

    @Test
    void aTakenPortFailsWithAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             var sandbox = SkyliftProcess.start("sandbox", "--port", String.valueOf(taken.getLocalPort()))) {
            int exit = sandbox.waitFor(Duration.ofSeconds(60));

            assertThat(exit).isEqualTo(1);
            assertThat(sandbox.stderr()).contains("Port " + taken.getLocalPort() + " is in use").doesNotContain("\tat ");
        }
    }
}
