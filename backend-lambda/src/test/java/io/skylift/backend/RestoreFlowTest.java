package io.skylift.backend;

import static io.skylift.backend.Callers.SAM_STAFF;
import static io.skylift.backend.UploadFlowTest.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.Tier;

/**
 * A restore from start to download, against a sandbox whose storage emulates S3's archive: a GLACIER object
 * refuses GET until restored, RestoreObject answers 202 then 409 while running, and the restore completes
 * after a short delay. Skipped (not failed) where the sandbox's storage answers RestoreObject with 501, as
 * plain S3Proxy does.
 */
class RestoreFlowTest {

    static final Duration RESTORE_DEADLINE = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static BackendUnderTest backend;

    @BeforeAll
    static void start() throws Exception {
        backend = BackendUnderTest.start(dir);
        backend.bucket.putObject(b -> b.bucket(backend.server.bucket()).key("archives/probe.bin").storageClass(StorageClass.GLACIER),
                RequestBody.fromBytes(new byte[1]));
        boolean emulated;
        try {
            backend.bucket.restoreObject(b -> b.bucket(backend.server.bucket()).key("archives/probe.bin")
                    .restoreRequest(r -> r.days(1).glacierJobParameters(g -> g.tier(Tier.STANDARD))));
            emulated = true;
        } catch (S3Exception e) {
            emulated = e.statusCode() != 501;
        }
        Assumptions.assumeTrue(emulated, "the sandbox's storage does not emulate RestoreObject (501)");
    }

    @AfterAll
    static void stop() {
        if (backend != null) {
            backend.close();
        }
    }

    static JsonNode listedEntry(String key) {
        Reply listed = backend.as(SAM_STAFF).get("/v1/files", Map.of("prefix", key.substring(0, key.lastIndexOf('/') + 1)));
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        for (JsonNode file : listed.json().get("files")) {
            if (file.get("key").asText().equals(key)) {
                return file;
            }
        }
        throw new AssertionError(key + " is not listed: " + listed);
    }

    @Test
    void anArchivedFileIsRestoredShowsEachStateAndThenDownloadsIntact() throws Exception {
        var sam = backend.as(SAM_STAFF);
        String key = "archives/case-4411/dump.bin";
        byte[] data = randomBytes(64 * 1024, 1);
        backend.bucket.putObject(b -> b.bucket(backend.server.bucket()).key(key).storageClass(StorageClass.GLACIER), RequestBody.fromBytes(data));
        assertThat(sam.post("/v1/downloads", "{\"key\":\"" + key + "\"}").errorCode()).isEqualTo("OBJECT_ARCHIVED");
        assertThat(listedEntry(key).at("/archive/state").asText()).isEqualTo("archived");

        Reply started = sam.post("/v1/restores", "{\"key\":\"" + key + "\",\"days\":2,\"tier\":\"Bulk\"}");
        Reply again = sam.post("/v1/restores", "{\"key\":\"" + key + "\"}");

        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        assertThat(started.json().get("state").asText()).isEqualTo("restoring");
        assertThat(again.status()).as("a restore already running is no error").isEqualTo(202);
        // The restore may finish at any moment after it began: until then, each answer says it runs.
        JsonNode entry = listedEntry(key);
        Reply whileRunning = sam.post("/v1/downloads", "{\"key\":\"" + key + "\"}");
        if (entry.at("/archive/state").asText().equals("restoring")) {
            assertThat(whileRunning.status()).isIn(409, 200);
        }

        Instant deadline = Instant.now().plus(RESTORE_DEADLINE);
        while (!entry.at("/archive/state").asText().equals("restored") && Instant.now().isBefore(deadline)) {
            assertThat(entry.at("/archive/state").asText()).isIn("restoring", "restored");
            Thread.sleep(200);
            entry = listedEntry(key);
        }

        assertThat(entry.at("/archive/state").asText()).as("restored within " + RESTORE_DEADLINE).isEqualTo("restored");
        assertThat(Instant.parse(entry.at("/archive/until").asText())).isAfter(Instant.now());
        assertThat(entry.get("storageClass").asText()).as("a restored copy keeps its class").isEqualTo("GLACIER");
        assertThat(UploadFlowTest.download(sam, key)).isEqualTo(data);
        Reply restoredAgain = sam.post("/v1/restores", "{\"key\":\"" + key + "\",\"days\":30}");
        assertThat(restoredAgain.status()).as(restoredAgain.toString()).isEqualTo(200);
        assertThat(restoredAgain.json().get("state").asText()).isEqualTo("restored");
        assertThat(restoredAgain.json().has("until")).isTrue();
    }

    @Test
    void whileARestoreRunsADownloadSaysSoAndNamesNoUrl() {
        var sam = backend.as(SAM_STAFF);
        String key = "archives/case-4412/logs.zip";
        backend.bucket.putObject(b -> b.bucket(backend.server.bucket()).key(key).storageClass(StorageClass.DEEP_ARCHIVE),
                RequestBody.fromBytes(randomBytes(1000, 2)));

        Reply started = sam.post("/v1/restores", "{\"key\":\"" + key + "\",\"tier\":\"Standard\"}");
        Reply download = sam.post("/v1/downloads", "{\"key\":\"" + key + "\"}");

        assertThat(started.status()).isEqualTo(202);
        // Unless the sandbox's delay has already passed (it is short), the file is still being restored.
        if (download.status() == 409) {
            assertThat(download.errorCode()).isEqualTo("RESTORE_IN_PROGRESS");
            assertThat(download.json().at("/error/message").asText()).startsWith("logs.zip is being restored; try again later.");
            assertThat(download.body()).doesNotContain("http");
        } else {
            assertThat(download.status()).isEqualTo(200);
        }
    }
}
