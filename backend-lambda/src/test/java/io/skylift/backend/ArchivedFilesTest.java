package io.skylift.backend;

import static io.skylift.backend.Callers.ALICE;
import static io.skylift.backend.Callers.SAM_STAFF;
import static io.skylift.backend.UploadFlowTest.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.skylift.backend.http.Json;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * Archived files through the real handler against S3Proxy, which keeps a PUT's storage class: the listing
 * names it, downloads of an archived file are refused with how to restore it, and a restore is checked
 * before storage is asked. (That a restore then completes is {@link RestoreFlowTest}'s, on a sandbox that
 * emulates it.)
 */
class ArchivedFilesTest {

    @TempDir
    static Path dir;
    static BackendUnderTest backend;

    @BeforeAll
    static void start() throws Exception {
        backend = BackendUnderTest.start(dir);
        put("archives/case-1/logs.zip", StorageClass.GLACIER);
        put("archives/case-1/dump.bin", StorageClass.DEEP_ARCHIVE);
        put("archives/case-1/notes.txt", null);
        put("archives/case-1/old.pdf", StorageClass.STANDARD_IA);
        put("u/alice-0001/cold/raw.CR3", StorageClass.GLACIER);
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @AfterEach
    void disarm() {
        backend.restoreAnswers.clear();
    }

    static void put(String key, StorageClass storageClass) {
        backend.bucket.putObject(b -> b.bucket(backend.server.bucket()).key(key).storageClass(storageClass),
                RequestBody.fromBytes(randomBytes(300, key.hashCode())));
    }

    static Map<String, JsonNode> listed(BackendUnderTest.Caller caller, String prefix) {
        Reply reply = caller.get("/v1/files", Map.of("prefix", prefix));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        Map<String, JsonNode> files = new HashMap<>();
        reply.json().get("files").forEach(f -> files.put(f.get("key").asText(), f));
        return files;
    }

    static String restoreBody(String key, Object days, Object tier) {
        Map<String, Object> body = new HashMap<>();
        body.put("key", key);
        if (days != null) {
            body.put("days", days);
        }
        if (tier != null) {
            body.put("tier", tier);
        }
        return Json.write(body);
    }

    @Test
    void storageKeepsTheStorageClassOfAPutSoTheseTestsSeeWhatS3Shows() {
        var head = backend.bucket.headObject(b -> b.bucket(backend.server.bucket()).key("archives/case-1/logs.zip"));

        assertThat(head.storageClassAsString()).isEqualTo("GLACIER");
    }

    @Test
    void theListingNamesEachFilesStorageClassAndWhetherItIsArchived() {
        Map<String, JsonNode> files = listed(backend.as(SAM_STAFF), "archives/case-1/");

        assertThat(files.get("archives/case-1/logs.zip").get("storageClass").asText()).isEqualTo("GLACIER");
        assertThat(files.get("archives/case-1/logs.zip").get("archive")).isEqualTo(Json.mapper().createObjectNode().put("state", "archived"));
        assertThat(files.get("archives/case-1/dump.bin").get("storageClass").asText()).isEqualTo("DEEP_ARCHIVE");
        assertThat(files.get("archives/case-1/dump.bin").at("/archive/state").asText()).isEqualTo("archived");
        assertThat(files.get("archives/case-1/old.pdf").get("storageClass").asText()).isEqualTo("STANDARD_IA");
        for (String key : new String[] {"archives/case-1/notes.txt", "archives/case-1/old.pdf"}) {
            assertThat(files.get(key).has("archive")).as(key + " names its archive state, as null").isTrue();
            assertThat(files.get(key).get("archive").isNull()).as(key).isTrue();
        }
        JsonNode notes = files.get("archives/case-1/notes.txt").get("storageClass");
        assertThat(notes.isNull() || notes.asText().equals("STANDARD")).as(notes.toString()).isTrue();
    }

    @Test
    void aDownloadOfAnArchivedFileIsRefusedWithHowToRestoreIt() {
        var sam = backend.as(SAM_STAFF);

        Reply grant = sam.post("/v1/downloads", "{\"key\":\"archives/case-1/logs.zip\"}");
        Reply link = sam.get("/v1/files/content", Map.of("key", "archives/case-1/dump.bin"));
        Reply own = backend.as(ALICE).post("/v1/downloads", "{\"key\":\"u/alice-0001/cold/raw.CR3\"}");

        assertThat(grant.status()).as(grant.toString()).isEqualTo(409);
        assertThat(grant.errorCode()).isEqualTo("OBJECT_ARCHIVED");
        assertThat(grant.json().at("/error/message").asText()).isEqualTo("logs.zip is archived (GLACIER); restore it first with"
                + " `skylift restore archives/case-1/logs.zip` or Restore in the window. A restore takes minutes to hours (up to 48 for DEEP_ARCHIVE).");
        assertThat(grant.body()).doesNotContain("http");
        assertThat(link.status()).isEqualTo(409);
        assertThat(link.errorCode()).isEqualTo("OBJECT_ARCHIVED");
        assertThat(link.json().at("/error/message").asText()).startsWith("dump.bin is archived (DEEP_ARCHIVE)");
        assertThat(link.headers()).doesNotContainKey("Location");
        assertThat(own.errorCode()).isEqualTo("OBJECT_ARCHIVED");
        assertThat(sam.post("/v1/downloads", "{\"key\":\"archives/case-1/old.pdf\"}").status()).as("an infrequent-access file downloads").isEqualTo(200);
    }

    @Test
    void onlyStaffMayRestoreAndOnlyInTheArchiveRefusedBeforeAnyStorageCall() {
        var alice = backend.as(ALICE);
        var sam = backend.as(SAM_STAFF);
        int callsBefore = backend.handlerS3Calls.get();

        Reply photographer = alice.post("/v1/restores", restoreBody("archives/case-1/logs.zip", null, null));
        Reply ownFolder = alice.post("/v1/restores", restoreBody("u/alice-0001/cold/raw.CR3", null, null));
        Reply staffOwnFolder = sam.post("/v1/restores", restoreBody("u/sam-0003/a.zip", null, null));
        Reply folder = sam.post("/v1/restores", restoreBody("archives/case-1/", null, null));
        Reply hostile = sam.post("/v1/restores", restoreBody("archives/../u/alice-0001/cold/raw.CR3", null, null));
        Reply noKey = sam.post("/v1/restores", "{}");

        assertThat(backend.handlerS3Calls.get()).isEqualTo(callsBefore);
        for (Reply r : new Reply[] {photographer, ownFolder, staffOwnFolder}) {
            assertThat(r.status()).as(r.toString()).isEqualTo(403);
            assertThat(r.errorCode()).isEqualTo("KEY_FORBIDDEN");
        }
        assertThat(folder.errorCode()).isEqualTo("KEY_INVALID");
        assertThat(hostile.errorCode()).isEqualTo("NAME_INVALID");
        assertThat(noKey.errorCode()).isEqualTo("KEY_INVALID");
    }

    @Test
    void daysOutside1To365AndAnUnknownTierAreRefusedBeforeAnyStorageCall() {
        var sam = backend.as(SAM_STAFF);
        int callsBefore = backend.handlerS3Calls.get();

        Reply none = sam.post("/v1/restores", restoreBody("archives/case-1/logs.zip", 0, null));
        Reply tooMany = sam.post("/v1/restores", restoreBody("archives/case-1/logs.zip", 366, null));
        Reply tier = sam.post("/v1/restores", restoreBody("archives/case-1/logs.zip", 7, "Fastest"));

        assertThat(backend.handlerS3Calls.get()).isEqualTo(callsBefore);
        assertThat(none.errorCode()).isEqualTo("DAYS_INVALID");
        assertThat(tooMany.errorCode()).isEqualTo("DAYS_INVALID");
        assertThat(tooMany.json().at("/error/message").asText()).contains("1 to 365");
        assertThat(tier.status()).isEqualTo(400);
        assertThat(tier.errorCode()).isEqualTo("TIER_INVALID");
        assertThat(tier.json().at("/error/message").asText()).contains("Bulk, Standard or Expedited");
    }

    @Test
    void aFileThatIsNotArchivedIsNotRestoredAndAMissingOneIs404() {
        var sam = backend.as(SAM_STAFF);
        int callsBefore = backend.handlerS3Calls.get();

        Reply standard = sam.post("/v1/restores", restoreBody("archives/case-1/notes.txt", null, null));
        Reply missing = sam.post("/v1/restores", restoreBody("archives/case-1/none.zip", null, null));

        assertThat(standard.status()).as(standard.toString()).isEqualTo(409);
        assertThat(standard.errorCode()).isEqualTo("NOT_ARCHIVED");
        assertThat(standard.json().at("/error/message").asText()).contains("notes.txt").contains("downloads without a restore");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(backend.handlerS3Calls.get() - callsBefore).as("a HEAD each, no restore asked").isEqualTo(2);
    }

    @Test
    void anExpeditedRestoreOfADeepArchiveFileIsRefusedWithTheTiersThatExist() {
        int callsBefore = backend.handlerS3Calls.get();

        Reply reply = backend.as(SAM_STAFF).post("/v1/restores", restoreBody("archives/case-1/dump.bin", 3, "expedited"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("TIER_INVALID");
        assertThat(reply.json().at("/error/message").asText()).contains("DEEP_ARCHIVE").contains("Standard").contains("Bulk");
        assertThat(backend.handlerS3Calls.get() - callsBefore).as("the HEAD only").isEqualTo(1);
    }

    @Test
    void storagesAnswersToARestoreBecomeTheRoutesAnswers() {
        var sam = backend.as(SAM_STAFF);
        String key = "archives/case-1/logs.zip";

        backend.restoreAnswers.put(key, BackendUnderTest.s3Error(409, "RestoreAlreadyInProgress", "Object restore is already in progress"));
        Reply running = sam.post("/v1/restores", restoreBody(key, 2, "Bulk"));
        backend.restoreAnswers.put(key, BackendUnderTest.s3Error(403, "InvalidObjectState", "Restore is not allowed for the object's current storage class"));
        Reply notArchived = sam.post("/v1/restores", restoreBody(key, 2, "Standard"));
        backend.restoreAnswers.put(key, BackendUnderTest.s3Error(503, "GlacierExpeditedRetrievalNotAvailable",
                "Glacier expedited retrievals are currently not available, please try again later"));
        Reply busy = sam.post("/v1/restores", restoreBody(key, 2, "Expedited"));
        backend.restoreAnswers.put(key, BackendUnderTest.s3Error(400, "InvalidArgument", "The Expedited tier is not supported for this object"));
        Reply tier = sam.post("/v1/restores", restoreBody(key, 2, "Expedited"));

        assertThat(running.status()).as("a restore already running is no error").isEqualTo(202);
        assertThat(running.json()).isEqualTo(Json.mapper().createObjectNode().put("key", key).put("state", "restoring"));
        assertThat(notArchived.status()).isEqualTo(409);
        assertThat(notArchived.errorCode()).isEqualTo("NOT_ARCHIVED");
        assertThat(busy.status()).isEqualTo(503);
        assertThat(busy.errorCode()).isEqualTo("EXPEDITED_UNAVAILABLE");
        assertThat(busy.json().at("/error/retryable").asBoolean()).isTrue();
        assertThat(tier.status()).isEqualTo(400);
        assertThat(tier.errorCode()).isEqualTo("TIER_INVALID");
        assertThat(String.join("", running.body(), notArchived.body(), busy.body(), tier.body()))
                .as("storage's own words are not passed on").doesNotContain("Glacier expedited", "current storage class");
    }
}
