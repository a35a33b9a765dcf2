package io.skylift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.skylift.json.Json;
import io.skylift.sandbox.Sandbox;
import io.skylift.testing.SandboxBucket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code skylift share}, {@code shares} and {@code unshare} as a script uses them: the link alone on
 * standard output, one JSON line with --json, a refusal in the service's words with exit 1, bad usage
 * with exit 2; and the link, a credential, nowhere else: not on standard error, not in any file the
 * command leaves behind.
 */
class ShareCommandsIT {

    static final String HOME = "u/sandbox-photographer/";

    @TempDir
    static Path dir;
    static Sandbox sandbox;
    static S3Client bucket;
    static Map<String, String> env;
    static final OkHttpClient browser = new OkHttpClient.Builder().followRedirects(false).followSslRedirects(false).build();

    @BeforeAll
    static void start() throws IOException {
        sandbox = Sandbox.start(new Sandbox.Settings(0, Optional.of(dir.resolve("sandbox")), Duration.ofSeconds(300)));
        bucket = SandboxBucket.client(sandbox);
        // HOME too: whatever the command keeps, in its data folder or elsewhere in the home, stays where the test can read it.
        env = Map.of("SKYLIFT_API", sandbox.info().api().toString(), "SKYLIFT_TOKEN", sandbox.info().photographerToken(),
                "SKYLIFT_DATA_DIR", dir.resolve("home/data").toString(), "HOME", dir.resolve("home").toString());
    }

    @AfterAll
    static void stop() {
        bucket.close();
        sandbox.close();
    }

    static void put(String key, String text) {
        bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key(key), RequestBody.fromString(text));
    }

    static int status(String url) throws IOException {
        try (Response response = browser.newCall(new Request.Builder().url(url).build()).execute()) {
            return response.code();
        }
    }

    /** The share's page, which must be there; its text shown only {@link #masked}, as it holds the link's token. */
    static String page(String url) throws IOException {
        try (Response response = browser.newCall(new Request.Builder().url(url).build()).execute()) {
            assertThat(response.code()).as("the share's page").isEqualTo(200);
            assertThat(response.header("Content-Type", "")).startsWith("text/html");
            return response.body().string();
        }
    }

    /** The secret part of a share link: what must not be written anywhere but where it was asked for. */
    static String token(String url) {
        return url.substring(url.indexOf("/s/") + 3);
    }

    /** {@code text} as a failing assertion may print it: every share link's token, known or not, replaced. */
    static String masked(Object text) {
        String shown = String.valueOf(text);
        for (String token : TOKENS) {
            shown = shown.replace(token, "****");
        }
        return shown.replaceAll("/s/[^\\s\"'<>]+", "/s/****");
    }

    static final List<String> TOKENS = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Test
    void aLinkIsMadeListedAndRevokedAndAppearsOnlyWhereAsked() throws Exception {
        put(HOME + "client/IMG_0001.jpg", "the photo");
        put(HOME + "client-shoot/a.jpg", "a");
        List<String> stderr = new ArrayList<>();

        var made = SkyliftProcess.run(env, "share", HOME + "client/IMG_0001.jpg");
        stderr.add(made.stderr());
        made.stdout().stream().filter(l -> l.contains("/s/")).forEach(l -> TOKENS.add(token(l)));
        assertThat(made.exit()).as(masked(made.stderr())).isZero();
        assertThat(made.stdout().size() == 1 && made.stdout().getFirst().matches("https?://[^\\s]+/s/[^\\s]+"))
                .as("the link alone on standard output: " + masked(made.stdout())).isTrue();
        String url = made.stdout().getFirst();
        assertThat(page(url).contains("IMG_0001.jpg")).as("the page names the file").isTrue();
        assertThat(masked(made.stderr())).startsWith("Expires ")
                .containsPattern("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d \\([\\w-]{22}\\)");
        String id = made.stderr().replaceFirst("(?s).*\\(([\\w-]{22})\\).*", "$1");

        Instant before = Instant.now();
        var json = SkyliftProcess.run(env, "share", "--json", "--expires", "12h", HOME + "client-shoot/");
        stderr.add(json.stderr());
        assertThat(json.exit()).as(masked(json.stderr())).isZero();
        assertThat(json.stdout().size()).as("one line").isEqualTo(1);
        JsonNode line = Json.WIRE.readTree(json.stdout().getFirst());
        String folderUrl = line.path("url").asText();
        TOKENS.add(token(folderUrl));
        String folderId = line.path("id").asText();
        assertThat(folderId).hasSize(22);
        assertThat(line.path("folder").asBoolean()).isTrue();
        assertThat(line.path("target").asText()).isEqualTo(HOME + "client-shoot/");
        assertThat(Instant.parse(line.path("expiresAt").asText())).as("--expires 12h")
                .isBetween(before.plus(Duration.ofHours(12)).minusSeconds(5), Instant.now().plus(Duration.ofHours(12)).plusSeconds(5));
        assertThat(page(folderUrl).contains("a.jpg")).as("the folder's page names its file").isTrue();

        var listed = SkyliftProcess.run(env, "shares");
        stderr.add(listed.stderr());
        assertThat(listed.exit()).as(masked(listed.stderr())).isZero();
        assertThat(listed.stdout().stream().anyMatch(l -> l.startsWith(id + "  ") && l.contains("  " + HOME + "client/IMG_0001.jpg  ")
                && l.endsWith("  " + url))).as("the file's share listed: " + masked(listed.stdout())).isTrue();
        assertThat(listed.stdout().stream().anyMatch(l -> l.startsWith(folderId + "  ") && l.endsWith("  " + folderUrl)))
                .as("the folder's share listed: " + masked(listed.stdout())).isTrue();
        var listedJson = SkyliftProcess.run(env, "shares", "--json");
        stderr.add(listedJson.stderr());
        List<String> ids = new ArrayList<>();
        for (String each : listedJson.stdout()) {
            JsonNode share = Json.WIRE.readTree(each);
            assertThat(share.has("url") && share.has("expiresAt")).as(masked(each)).isTrue();
            ids.add(share.path("id").asText());
        }
        assertThat(ids).contains(id, folderId);

        var revoked = SkyliftProcess.run(env, "unshare", id);
        stderr.add(revoked.stderr());
        assertThat(revoked.exit()).as(masked(revoked.stderr())).isZero();
        assertThat(revoked.out()).isEqualTo("Revoked " + id);
        // The service refuses a revoked link from the next request on.
        assertThat(status(url)).as("the revoked link's page").isEqualTo(410);
        assertThat(status(folderUrl)).as("the other link's page").isEqualTo(200);
        var after = SkyliftProcess.run(env, "shares");
        stderr.add(after.stderr());
        assertThat(masked(after.out())).doesNotContain(id).contains(folderId);

        for (String link : List.of(url, folderUrl)) {
            assertThat(stderr.stream().anyMatch(text -> text.contains(token(link)))).as("a link on standard error").isFalse();
            assertThat(filesHolding(token(link), dir.resolve("home"))).as("files in the home and data folder holding a link").isEmpty();
        }
    }

    @Test
    void unsharingAnUnknownIdFailsWithTheServicesWordsAndExitOne() throws Exception {
        var ran = SkyliftProcess.run(env, "unshare", "AAAAAAAAAAAAAAAAAAAAAA");

        assertThat(ran.exit()).isEqualTo(1);
        assertThat(ran.stdout()).isEmpty();
        assertThat(ran.stderr()).startsWith("skylift: ").contains("(SHARE_NOT_FOUND)").doesNotContain("Exception");
    }

    @Test
    void sharingAnotherPersonsFileIsRefusedInTheServicesWordsWithExitOne() throws Exception {
        put("u/someone-else/theirs.jpg", "theirs");

        var ran = SkyliftProcess.run(env, "share", "u/someone-else/theirs.jpg");

        assertThat(ran.exit()).isEqualTo(1);
        assertThat(ran.stdout()).isEmpty();
        assertThat(ran.stderr()).startsWith("skylift: ").contains("(KEY_FORBIDDEN)").doesNotContain("Exception");
    }

    @Test
    void aBadExpiryIsBadUsageSayingHowToWriteOne() throws Exception {
        var ran = SkyliftProcess.run(env, "share", "--expires", "7days", HOME + "client/IMG_0001.jpg");

        assertThat(ran.exit()).isEqualTo(2);
        assertThat(ran.stdout()).isEmpty();
        assertThat(ran.stderr()).contains("'7days' is not an expiry").contains("7d (days)");
    }

    @Test
    void someoneWithNoSharesIsToldSoOnStandardErrorAndNothingIsPrinted() throws Exception {
        Map<String, String> staff = new HashMap<>(env);
        staff.put("SKYLIFT_TOKEN", sandbox.info().staffToken());

        var ran = SkyliftProcess.run(staff, "shares");

        assertThat(ran.exit()).as(ran.stderr()).isZero();
        assertThat(ran.stdout()).isEmpty();
        assertThat(ran.stderr().strip()).isEqualTo("No shares.");
    }

    /** Every file below {@code root} whose bytes hold {@code secret} (ASCII). */
    static List<Path> filesHolding(String secret, Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).filter(file -> {
                try {
                    return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(secret);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
