package io.skylift.backend;

import static io.skylift.backend.Callers.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route that reads a body expects a JSON object. Valid JSON of another shape ({@code null}, an
 * array, a bare string, number or boolean) is the client's mistake: retrying it cannot help, so it
 * must be a plain 400 and never reach storage.
 */
class RequestBodyShapeTest {

    @TempDir
    static Path dir;
    static BackendUnderTest backend;
    /** A real multipart upload, so sign and complete get past the id check to their body. */
    static String uploadId;

    @BeforeAll
    static void start() throws Exception {
        backend = BackendUnderTest.start(dir);
        Reply created = backend.as(ALICE).post("/v1/uploads",
                "{\"fileName\":\"shape.tif\",\"size\":%d,\"partSize\":%d}".formatted(12 * 1024 * 1024, 5 * 1024 * 1024));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        uploadId = created.json().get("id").asText();
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    static Stream<Arguments> routesAndBodies() {
        List<String> paths = List.of("/v1/uploads", "/v1/uploads/{id}/parts/sign", "/v1/uploads/{id}/complete", "/v1/downloads");
        List<String> bodies = List.of("null", " null\n", "[]", "[{\"key\":\"alice/a.tif\"}]", "\"alice/a.tif\"", "42", "true");
        return paths.stream().flatMap(path -> bodies.stream().map(body -> Arguments.of(path, body)));
    }

    @ParameterizedTest(name = "POST {0} with {1}")
    @MethodSource("routesAndBodies")
    void aBodyThatIsNotAJsonObjectIsANonRetryable400BeforeAnyStorageCall(String route, String body) {
        int s3CallsBefore = backend.handlerS3Calls.get();

        Reply reply = backend.as(ALICE).post(route.replace("{id}", uploadId), body);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        JsonNode error = reply.json().get("error");
        assertThat(error.get("code").asText()).isEqualTo("BODY_INVALID");
        assertThat(error.get("message").asText()).contains("JSON object");
        assertThat(error.get("retryable").asBoolean()).isFalse();
        assertThat(error.get("requestId").asText()).isNotBlank();
        assertThat(backend.handlerS3Calls.get()).as("S3 calls made for a refused body").isEqualTo(s3CallsBefore);
    }
}
