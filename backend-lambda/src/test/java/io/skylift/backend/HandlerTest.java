package io.skylift.backend;

import static io.skylift.backend.Callers.ALICE;
import static io.skylift.backend.Callers.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.skylift.backend.http.Json;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every route shares: routing, the error shape, body limits, and what the handler logs. */
class HandlerTest {

    @TempDir
    static Path dir;
    static BackendUnderTest backend;

    @BeforeAll
    static void start() throws Exception {
        backend = BackendUnderTest.start(dir);
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @Test
    void anUnknownRouteIs404AndAKnownRouteWithAnotherMethodIs405() {
        var alice = backend.as(ALICE);

        assertThat(alice.get("/v1/nothing").status()).isEqualTo(404);
        assertThat(alice.get("/v1/nothing").errorCode()).isEqualTo("ROUTE_NOT_FOUND");
        assertThat(alice.send("PUT", "/v1/uploads", "{}").status()).isEqualTo(405);
    }

    @Test
    void everyErrorHasTheSameShapeAndNoStoreCaching() {
        Reply reply = backend.as(ALICE).post("/v1/uploads", "{\"fileName\":");

        assertThat(reply.status()).isEqualTo(400);
        JsonNode error = reply.json().get("error");
        assertThat(error.get("code").asText()).isEqualTo("BODY_INVALID");
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.has("retryable")).isTrue();
        assertThat(error.get("requestId").asText()).isNotBlank();
        assertThat(reply.headers()).containsEntry("Cache-Control", "no-store").containsEntry("Content-Type", "application/json");
    }

    @Test
    void aRequestBodyOver1MiBIsRefusedWith413() {
        char[] big = new char[1100 * 1024];
        Arrays.fill(big, 'a');

        Reply reply = backend.as(ALICE).post("/v1/uploads", "{\"fileName\":\"" + new String(big) + "\",\"size\":1}");

        assertThat(reply.status()).isEqualTo(413);
    }

    @Test
    void meTellsWhoTheCallerIsAndTheLimits() {
        JsonNode me = backend.as(Callers.SAM_STAFF).get("/v1/me").json();

        assertThat(me.get("user").get("id").asText()).isEqualTo("sam-0003");
        assertThat(me.get("roles").get(0).asText()).isEqualTo("staff");
        assertThat(me.get("readablePrefixes").toString()).contains("u/sam-0003/", "archives/");
        assertThat(me.get("limits").get("urlTtlSeconds").asInt()).isEqualTo(300);
        assertThat(me.get("limits").get("maxSignBatch").asInt()).isEqualTo(100);
        assertThat(me.get("limits").get("maxBatchItems").asInt()).isEqualTo(100);
        assertThat(me.get("limits").get("maxFileSize").asLong()).isEqualTo(5L << 40);
    }

    @Test
    void aNamedStageInThePathIsIgnoredLikeApiGatewayDoes() {
        // A stage called "prod" puts "/prod" in front of every path.
        var event = new BackendUnderTest.EventBuilder("GET", "/prod/v1/me").stage("prod").claims(ALICE).build();

        var response = backend.handler.handleRequest(event, backend.context);

        assertThat(response.getStatusCode()).isEqualTo(200);
    }

    @Test
    void theHandlerLogsOneLinePerRequestAndNeverAUrlTokenSignatureOrTheEvent() {
        var before = backend.context.logs().length();
        var alice = backend.as(ALICE);
        byte[] data = UploadFlowTest.randomBytes(6 * 1024 * 1024, 31);
        var uploaded = UploadFlowTest.upload(alice, "secret-folder", "secret-name.tif", data, 5 * 1024 * 1024);
        UploadFlowTest.download(alice, uploaded.completed().json().get("key").asText());
        alice.get("/v1/files/content", Map.of("key", uploaded.completed().json().get("key").asText()));
        backend.as(BOB).get("/v1/uploads/" + uploaded.id() + "/parts");
        alice.post("/v1/uploads", "{\"fileName\":\"../secret-bad\",\"size\":1}");
        backend.as(null).get("/v1/me");

        String logs = backend.context.logs().substring(before);

        String[] lines = logs.strip().split("\n");
        assertThat(lines).as("one line per request").hasSize(8);
        for (String line : lines) {
            JsonNode json = Json.mapper().valueToTree(Json.read(line, Map.class));
            assertThat(json.properties()).extracting(Map.Entry::getKey)
                    .isSubsetOf(Set.of("requestId", "route", "status", "ms", "failure"));
        }
        assertThat(logs).doesNotContain("X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token", "http://", "https://",
                "Bearer", "test-token-secret", "secret-folder", "secret-name", "secret-bad", uploaded.id(), BackendUnderTest.SECRET,
                backend.server.secretKey(), "alice-0001");
        assertThat(logs).contains("\"route\":\"POST /v1/uploads/{id}/parts/sign\"", "\"status\":403", "\"failure\":\"UPLOAD_NOT_YOURS\"");
    }
}
