package io.skylift.backend;

import static io.skylift.backend.Callers.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.skylift.backend.http.Cursor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Keys the backend would never write (other tools write them: the direct mode, the S3 console, a
 * sync script) still list with their exact names. S3's XML cannot carry every character raw, so the
 * listing asks storage to URL-encode names; one odd name must not take its whole folder down.
 */
class OddKeyListingTest {

    static final String FOLDER = "u/alice-0001/odd/";
    // A control character, a right-to-left override, and the characters a URL encoding itself uses:
    // a listing that decoded twice, or not at all, would change these names.
    static final String CONTROL = FOLDER + "bell\u0001.txt";
    static final String BIDI = FOLDER + "invoice\u202Efdp.exe";
    static final String ESCAPES = FOLDER + "100% sure + 50%25 a+b.txt";
    static final String PLAIN = FOLDER + "plain.txt";
    static final String LAST = FOLDER + "zz.txt";
    static final String ODD_FOLDER = FOLDER + "tab\there/";

    @TempDir
    static Path dir;
    static BackendUnderTest backend;

    @BeforeAll
    static void start() throws Exception {
        backend = BackendUnderTest.start(dir);
        for (String key : List.of(CONTROL, BIDI, ESCAPES, PLAIN, LAST, ODD_FOLDER + "inside.txt")) {
            backend.bucket.putObject(b -> b.bucket(backend.server.bucket()).key(key), RequestBody.fromString("x"));
        }
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    static List<String> keys(JsonNode page) {
        List<String> keys = new ArrayList<>();
        page.get("files").forEach(f -> keys.add(f.get("key").asText()));
        return keys;
    }

    @Test
    void aFolderHoldingKeysWithControlAndBidiCharactersListsEveryFileByItsExactName() {
        Reply page = backend.as(ALICE).get("/v1/files", Map.of("prefix", FOLDER, "delimiter", "/"));

        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(keys(page.json())).containsExactly(ESCAPES, CONTROL, BIDI, PLAIN, LAST);
        assertThat(page.json().get("folders")).extracting(JsonNode::asText).containsExactly(ODD_FOLDER);
        assertThat(page.json().get("prefix").asText()).isEqualTo(FOLDER);
    }

    @Test
    void aFileListedWithAnOddNameCanBeDownloadedAndItsFolderOpened() {
        for (String key : List.of(CONTROL, BIDI, ODD_FOLDER + "inside.txt")) {
            Reply grant = backend.as(ALICE).post("/v1/downloads", io.skylift.backend.http.Json.write(Map.of("key", key)));
            assertThat(grant.status()).as(key).isEqualTo(200);
            assertThat(grant.json().get("key").asText()).isEqualTo(key);
        }
        Reply inside = backend.as(ALICE).get("/v1/files", Map.of("prefix", ODD_FOLDER, "delimiter", "/"));
        assertThat(inside.status()).isEqualTo(200);
        assertThat(keys(inside.json())).containsExactly(ODD_FOLDER + "inside.txt");
    }

    @Test
    void aListingWithoutADelimiterAlsoNamesTheFilesInsideAnOddlyNamedFolder() {
        Reply page = backend.as(ALICE).get("/v1/files", Map.of("prefix", FOLDER));

        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(keys(page.json())).containsExactly(ESCAPES, CONTROL, BIDI, PLAIN, ODD_FOLDER + "inside.txt", LAST);
    }

    @Test
    void aPageResumingAfterAKeyWithAControlCharacterStartsRightAfterIt() {
        Reply page = backend.as(ALICE).get("/v1/files", Map.of("prefix", FOLDER, "cursor", Cursor.encode(CONTROL)));

        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(keys(page.json())).containsExactly(BIDI, PLAIN, ODD_FOLDER + "inside.txt", LAST);
    }

    @Test
    void anUnfinishedUploadIsListedByItsExactNameThoughTheListingIsUrlEncoded() {
        // S3Proxy cannot start an upload under a name XML cannot carry; the names here are the ones
        // a wrong decoding would change.
        String key = "u/alice-0001/unfinished/100% sure + 50%25 a+b.tif";
        backend.bucket.createMultipartUpload(b -> b.bucket(backend.server.bucket()).key(key));

        Reply page = backend.as(ALICE).get("/v1/uploads");

        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.json().get("uploads")).extracting(u -> u.get("key").asText()).containsExactly(key);
    }
}
