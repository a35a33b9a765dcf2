package io.skylift.backend;

import static io.skylift.backend.Callers.ALICE;
import static io.skylift.backend.Callers.BOB;
import static io.skylift.backend.Callers.SAM_STAFF;
import static io.skylift.backend.UploadFlowTest.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.skylift.backend.http.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * Share links through the real handler and storage: the owner's routes ({@code /v1/shares}) and the public
 * ones a browser opens ({@code /s/{token}}), asked with the events API Gateway sends, no sign-in on the latter.
 */
class ShareRoutesTest {

    static final String HOME = "u/alice-0001/";
    static final byte[] PHOTO = randomBytes(70_000, 7);
    static final byte[] RAW = randomBytes(150_000, 8);
    static final OkHttpClient HTTP = new OkHttpClient.Builder().followRedirects(false).build();

    @TempDir
    static Path dir;
    static BackendUnderTest backend;

    @BeforeAll
    static void start() throws Exception {
        backend = BackendUnderTest.start(dir);
        put(HOME + "wedding/ceremony/IMG_0001.jpg", PHOTO, null);
        put(HOME + "wedding/raw/IMG_0001.CR3", RAW, null);
        put(HOME + "wedding-extras/other.jpg", PHOTO, null);
        put(HOME + "private/passport.jpg", PHOTO, null);
        put(HOME + "single/cover.jpg", PHOTO, null);
        put("u/bob-0002/bob.jpg", PHOTO, null);
        put("archives/case-7/logs.zip", RAW, null);
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    static void put(String key, byte[] bytes, StorageClass storageClass) {
        backend.bucket.putObject(b -> b.bucket(backend.server.bucket()).key(key).storageClass(storageClass), RequestBody.fromBytes(bytes));
    }

    static Reply share(Map<String, String> caller, String field, String target, Long expiresIn) {
        Map<String, Object> body = new HashMap<>();
        body.put(field, target);
        if (expiresIn != null) {
            body.put("expiresIn", expiresIn);
        }
        return backend.as(caller).post("/v1/shares", Json.write(body));
    }

    static JsonNode shared(Map<String, String> caller, String field, String target) {
        Reply reply = share(caller, field, target, null);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json();
    }

    static String tokenOf(JsonNode share) {
        String url = share.get("url").asText();
        return url.substring(url.indexOf("/s/") + 3);
    }

    /** What a browser gets at a path: no sign-in. */
    static Reply open(BackendUnderTest on, String path) {
        return on.as(null).get(path);
    }

    static Reply open(String path) {
        return open(backend, path);
    }

    static Reply open(BackendUnderTest on, String path, Map<String, String> query) {
        return on.as(null).get(path, query);
    }

    static List<String> hrefs(String html) {
        List<String> links = new ArrayList<>();
        Matcher m = Pattern.compile("<a class=\"download\" href=\"([^\"]*)\"").matcher(html);
        while (m.find()) {
            links.add(m.group(1).replace("&amp;", "&"));
        }
        return links;
    }

    /** A file's download path below a share's page: its path below the share, in base64url. */
    static String ref(String path) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(path.getBytes(StandardCharsets.UTF_8));
    }

    static Clock later(Duration by) {
        return Clock.offset(Clock.systemUTC(), by);
    }

    @Test
    void aFolderShareAnswersALinkWhosePageListsEveryFileBelowTheFolderAndNothingElse() {
        JsonNode share = shared(ALICE, "prefix", HOME + "wedding/");

        assertThat(share.get("id").asText()).matches("[A-Za-z0-9_-]{22}");
        assertThat(share.get("url").asText()).startsWith("https://api.example.test/s/");
        assertThat(share.get("name").asText()).isEqualTo("wedding/");
        assertThat(share.get("folder").asBoolean()).isTrue();
        Instant expires = Instant.parse(share.get("expiresAt").asText());
        assertThat(Duration.between(Instant.parse(share.get("createdAt").asText()), expires)).isEqualTo(Duration.ofDays(7));

        Reply page = open("/s/" + tokenOf(share));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers().get("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(page.body()).contains("<h1>wedding/</h1>", "ceremony/IMG_0001.jpg", "raw/IMG_0001.CR3", "70 kB", "150 kB");
        assertThat(page.body()).doesNotContain("other.jpg", "passport.jpg", "alice", "u/");
        assertThat(hrefs(page.body())).containsExactly(tokenOf(share) + "/" + ref("ceremony/IMG_0001.jpg"),
                tokenOf(share) + "/" + ref("raw/IMG_0001.CR3"));
    }

    @Test
    void aFolderSharesFilesAddedAfterTheLinkWasMade() {
        put(HOME + "growing/first.jpg", PHOTO, null);
        JsonNode share = shared(ALICE, "prefix", HOME + "growing/");
        put(HOME + "growing/later.jpg", PHOTO, null);

        assertThat(open("/s/" + tokenOf(share)).body()).contains("first.jpg", "later.jpg");
    }

    @Test
    void everyPublicAnswerCarriesHeadersThatKeepItOutOfSearchEnginesFramesAndOtherSitesAndAllowsNoScript() {
        JsonNode share = shared(ALICE, "key", HOME + "single/cover.jpg");
        String token = tokenOf(share);

        for (Reply reply : List.of(open("/s/" + token), open("/s/" + token + "/" + ref("cover.jpg")), open("/s/" + token + "x"))) {
            assertThat(reply.headers()).containsEntry("Referrer-Policy", "no-referrer")
                    .containsEntry("X-Robots-Tag", "noindex, nofollow")
                    .containsEntry("X-Content-Type-Options", "nosniff")
                    .containsEntry("Cache-Control", "no-store");
            String csp = reply.headers().get("Content-Security-Policy");
            assertThat(csp).contains("default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'").doesNotContain("script-src", "unsafe");
        }
    }

    @Test
    void theDownloadLinkRedirectsToAFreshPresignedGetThatSavesTheExactBytesUnderTheFilesName() throws Exception {
        JsonNode share = shared(ALICE, "prefix", HOME + "wedding/");
        Reply redirect = open("/s/" + hrefs(open("/s/" + tokenOf(share)).body()).get(1));

        assertThat(redirect.status()).isEqualTo(302);
        URI location = URI.create(redirect.headers().get("Location"));
        assertThat(location.getHost()).isEqualTo(backend.server.endpoint().getHost());
        assertThat(location.getPort()).isEqualTo(backend.server.endpoint().getPort());
        assertThat(redirect.headers()).containsEntry("Referrer-Policy", "no-referrer");
        try (Response file = HTTP.newCall(new Request.Builder().url(location.toString()).build()).execute()) {
            assertThat(file.code()).isEqualTo(200);
            assertThat(file.header("Content-Disposition")).isEqualTo("attachment; filename*=UTF-8''IMG_0001.CR3");
            assertThat(file.body().bytes()).isEqualTo(RAW);
        }
    }

    @Test
    void aFileShareServesOnlyThatFile() {
        JsonNode share = shared(ALICE, "key", HOME + "single/cover.jpg");
        String token = tokenOf(share);

        Reply page = open("/s/" + token);
        assertThat(page.body()).contains("<h1>cover.jpg</h1>", "70 kB");
        assertThat(hrefs(page.body())).containsExactly(token + "/" + ref("cover.jpg"));
        assertThat(open("/s/" + token + "/" + ref("cover.jpg")).status()).isEqualTo(302);
        assertThat(open("/s/" + token + "/" + ref("passport.jpg")).status()).isEqualTo(404);
        assertThat(open("/s/" + token + "/" + ref("../private/passport.jpg")).status()).isEqualTo(404);
        assertThat(open("/s/" + token + "/cover.jpg").status()).isEqualTo(404);
        Reply deeper = open("/s/" + token + "/../private/passport.jpg");
        assertThat(deeper.status()).isEqualTo(404);
        assertThat(deeper.headers().get("Content-Type")).as("a page for a browser, not JSON").startsWith("text/html");
        assertThat(backend.as(ALICE).get("/v1/nothing/s/x").headers().get("Content-Type")).isEqualTo("application/json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../wedding-extras/other.jpg", "./raw/IMG_0001.CR3", "raw//IMG_0001.CR3", "raw/./IMG_0001.CR3",
            "raw/../../wedding-extras/other.jpg", "/raw/IMG_0001.CR3", "raw/IMG_0001.CR3/", "raw/IMG_0001.CR3\0", "nothing-here.jpg",
            "raw", "../../bob-0002/bob.jpg"})
    void aPathOutsideTheSharedFolderOrNamingNoFileIsANotFoundPageAndNeverARedirect(String path) {
        JsonNode share = shared(ALICE, "prefix", HOME + "wedding/");

        Reply reply = open("/s/" + tokenOf(share) + "/" + ref(path));

        assertNotFoundPage(reply, path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw%2FIMG_0001.CR3", "cmF3L0lNR18wMDAxLkNSMw==", "cmF3L0lNR18wMDAxLkNSMx", "..", "%2e%2e", "x y",
            "cmF3L0lNR18wMDAxLkNS+w", "_w"})
    void aFileReferenceThatIsNotOneThePageGivesIsANotFoundPage(String notARef) {
        JsonNode share = shared(ALICE, "prefix", HOME + "wedding/");

        assertNotFoundPage(open("/s/" + tokenOf(share) + "/" + notARef), notARef);
    }

    static void assertNotFoundPage(Reply reply, String what) {
        assertThat(reply.status()).as(what).isEqualTo(404);
        assertThat(reply.headers()).doesNotContainKey("Location");
        assertThat(reply.headers().get("Content-Type")).startsWith("text/html");
        assertThat(reply.body()).doesNotContain("other.jpg", "alice");
    }

    @Test
    void namesHoldingPercentSignsQuestionMarksPlusesSpacesAndAccentsDownloadAsThemselves() throws Exception {
        List<String> names = List.of("100%41.jpg", "100A.jpg", "what?.jpg", "a+b c.jpg", "été 2026.jpg", "#1.jpg");
        for (int i = 0; i < names.size(); i++) {
            put(HOME + "odd-names/" + names.get(i), randomBytes(1000 + i, i), null);
        }
        JsonNode share = shared(ALICE, "prefix", HOME + "odd-names/");

        List<String> links = hrefs(open("/s/" + tokenOf(share)).body());

        assertThat(links).hasSize(names.size());
        for (String link : links) {
            Reply redirect = open("/s/" + link);
            assertThat(redirect.status()).isEqualTo(302);
            try (Response file = HTTP.newCall(new Request.Builder().url(redirect.headers().get("Location")).build()).execute()) {
                String name = java.net.URLDecoder.decode(file.header("Content-Disposition").replace("attachment; filename*=UTF-8''", ""),
                        StandardCharsets.UTF_8);
                assertThat(file.body().bytes()).isEqualTo(randomBytes(1000 + names.indexOf(name), names.indexOf(name)));
            }
        }
    }

    @Test
    void aFolderOfMoreThanAPageIsListedInPagesWhoseCursorsNameNoKey() {
        String folder = HOME + "big/";
        IntStream.range(0, 1003).parallel().forEach(i -> put(folder + "f%04d.jpg".formatted(i), new byte[] {1}, null));
        JsonNode share = shared(ALICE, "prefix", folder);
        String token = tokenOf(share);

        Reply first = open("/s/" + token);
        Matcher more = Pattern.compile("href=\"" + Pattern.quote(token) + "\\?after=([^\"]+)\">More files").matcher(first.body());
        assertThat(more.find()).as("a More files link").isTrue();
        String cursor = more.group(1);
        Reply second = open(backend, "/s/" + token, Map.of("after", java.net.URLDecoder.decode(cursor, StandardCharsets.UTF_8)));

        assertThat(hrefs(first.body())).hasSize(1000);
        assertThat(hrefs(second.body())).hasSize(3);
        assertThat(second.body()).contains("f1000.jpg", "f1002.jpg").doesNotContain("f0999.jpg");
        String decoded = new String(Base64.getUrlDecoder().decode(java.net.URLDecoder.decode(cursor, StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
        assertThat(decoded).isEqualTo("f0999.jpg");
        assertThat(open(backend, "/s/" + token, Map.of("after", "not a cursor")).status()).isEqualTo(404);
    }

    @Test
    void aPageOfLongNamesEndsBeforeItGrowsLargeAndGoesOnFromWhereItEnded() {
        String folder = HOME + "long/";
        // Long segments (the sandbox's disk allows 255 bytes a segment, with its temporary name): about 2.4 KB of HTML a row.
        String deep = ("d".repeat(230) + "/").repeat(3);
        IntStream.range(0, 500).parallel().forEach(i -> put(folder + deep + "%0200d".formatted(i), new byte[] {1}, null));
        String token = tokenOf(shared(ALICE, "prefix", folder));

        Reply first = open("/s/" + token);
        Matcher more = Pattern.compile("\\?after=([^\"]+)\">More files").matcher(first.body());
        assertThat(more.find()).as("a More files link").isTrue();
        Reply second = open(backend, "/s/" + token, Map.of("after", java.net.URLDecoder.decode(more.group(1), StandardCharsets.UTF_8)));

        int shown = hrefs(first.body()).size();
        assertThat(first.bytes()).isLessThan(900_000);
        assertThat(shown).isLessThan(500);
        assertThat(shown + hrefs(second.body()).size()).isEqualTo(500);
    }

    @Test
    void aShareOfOnesWholeFolderIsTitledWithoutTheSubject() {
        JsonNode share = shared(BOB, "prefix", "u/bob-0002/");

        Reply page = open("/s/" + tokenOf(share));

        assertThat(share.get("name").asText()).isEqualTo("Shared files/");
        assertThat(page.body()).contains("<h1>Shared files/</h1>", "bob.jpg").doesNotContain("bob-0002");
    }

    @Test
    void aTamperedOrMadeUpTokenIsANotFoundPageFoundWithoutAnyStorageCall() {
        String token = tokenOf(shared(ALICE, "prefix", HOME + "wedding/"));
        int middle = token.length() / 2;
        String altered = token.substring(0, middle) + (token.charAt(middle) == 'A' ? 'B' : 'A') + token.substring(middle + 1);
        String uploadId = UploadIdTest.startUpload(backend, ALICE, "not-a-share.tif");
        int before = backend.handlerS3Calls.get();

        for (String bad : List.of(altered, token.substring(0, token.length() - 2), token + "A", "x", "a.b.c", uploadId,
                token.replace('.', '_'), "A".repeat(5000))) {
            Reply page = open("/s/" + bad);
            assertThat(page.status()).as(bad.length() > 40 ? bad.substring(0, 40) : bad).isEqualTo(404);
            assertThat(page.body()).contains("This link does not work");
            assertThat(open("/s/" + bad + "/" + ref("raw/IMG_0001.CR3")).status()).isEqualTo(404);
        }
        assertThat(backend.handlerS3Calls.get()).isEqualTo(before);
    }

    @Test
    void theTokenRevealsNeitherTheOwnerNorTheKeyToWhoeverHoldsIt() {
        String token = tokenOf(shared(ALICE, "prefix", HOME + "wedding/"));

        String decoded = new String(Base64.getUrlDecoder().decode(token.substring(token.indexOf('.') + 1)), StandardCharsets.ISO_8859_1);
        assertThat(decoded).doesNotContain("alice", "wedding", "u/");
        assertThat(token.length()).isLessThan(200);
    }

    @Test
    void anExpiredLinkIsAGonePageAndItsDownloadsToo() {
        Reply made = share(ALICE, "prefix", HOME + "wedding/", Duration.ofDays(1).toSeconds());
        String token = tokenOf(made.json());

        try (var dayLater = backend.alsoServing(Map.of(), later(Duration.ofDays(1).plusMinutes(1)))) {
            Reply page = open(dayLater, "/s/" + token);
            assertThat(page.status()).isEqualTo(410);
            assertThat(page.body()).contains("This link has expired");
            assertThat(open(dayLater, "/s/" + token + "/" + ref("raw/IMG_0001.CR3")).status()).isEqualTo(410);
            assertThat(dayLater.as(ALICE).get("/v1/shares").json().get("shares").findValuesAsText("id"))
                    .doesNotContain(made.json().get("id").asText());
        }
    }

    @Test
    void aRevokedLinkIsAGonePageAtOnceAndLeavesTheOwnersList() {
        JsonNode share = shared(ALICE, "prefix", HOME + "wedding/");
        String id = share.get("id").asText();
        String token = tokenOf(share);
        assertThat(open("/s/" + token).status()).isEqualTo(200);

        Reply revoked = backend.as(ALICE).delete("/v1/shares/" + id);

        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(204);
        Reply page = open("/s/" + token);
        assertThat(page.status()).isEqualTo(410);
        assertThat(page.body()).contains("This link was withdrawn");
        assertThat(open("/s/" + token + "/" + ref("raw/IMG_0001.CR3")).status()).isEqualTo(410);
        assertThat(backend.as(ALICE).get("/v1/shares").json().get("shares").findValuesAsText("id")).doesNotContain(id);
        assertThat(backend.as(ALICE).delete("/v1/shares/" + id).errorCode()).isEqualTo("SHARE_NOT_FOUND");
    }

    @Test
    void theOwnersListShowsTheirOwnLiveSharesSoonestFirstWithTheLinksTheyWereGiven() {
        Map<String, String> carol = Map.of("sub", "carol-0005", "cognito:username", "carol", "cognito:groups", "[photographers]");
        put("u/carol-0005/a.jpg", PHOTO, null);
        Reply week = share(carol, "key", "u/carol-0005/a.jpg", null);
        Reply day = share(carol, "key", "u/carol-0005/a.jpg", Duration.ofDays(1).toSeconds());
        shared(BOB, "key", "u/bob-0002/bob.jpg");

        Reply list = backend.as(carol).get("/v1/shares");

        assertThat(list.status()).isEqualTo(200);
        JsonNode shares = list.json().get("shares");
        assertThat(shares.findValuesAsText("id")).containsExactly(day.json().get("id").asText(), week.json().get("id").asText());
        assertThat(shares.findValuesAsText("url")).containsExactly(day.json().get("url").asText(), week.json().get("url").asText());
        assertThat(shares.findValuesAsText("expiresAt")).containsExactly(day.json().get("expiresAt").asText(),
                week.json().get("expiresAt").asText());
        assertThat(shares.get(0).get("key").asText()).isEqualTo("u/carol-0005/a.jpg");
        assertThat(list.json().get("nextCursor").isNull()).isTrue();
    }

    @Test
    void nobodyRevokesAnotherPersonsShare() {
        JsonNode share = shared(ALICE, "prefix", HOME + "wedding/");

        Reply refused = backend.as(BOB).delete("/v1/shares/" + share.get("id").asText());

        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.errorCode()).isEqualTo("SHARE_NOT_FOUND");
        assertThat(open("/s/" + tokenOf(share)).status()).isEqualTo(200);
        assertThat(backend.as(ALICE).delete("/v1/shares/" + "x".repeat(300)).body()).doesNotContain("xxxx");
    }

    @Test
    void onlyWhatTheCallerMayReadCanBeShared() {
        assertThat(share(BOB, "key", HOME + "single/cover.jpg", null).errorCode()).isEqualTo("KEY_FORBIDDEN");
        assertThat(share(BOB, "prefix", HOME, null).errorCode()).isEqualTo("PREFIX_FORBIDDEN");
        assertThat(share(ALICE, "key", "archives/case-7/logs.zip", null).errorCode()).isEqualTo("KEY_FORBIDDEN");
        assertThat(share(ALICE, "prefix", "archives/", null).errorCode()).isEqualTo("PREFIX_FORBIDDEN");
        assertThat(share(ALICE, "prefix", "u/", null).errorCode()).isEqualTo("PREFIX_FORBIDDEN");
        assertThat(share(ALICE, "key", HOME + "../bob-0002/bob.jpg", null).errorCode()).isEqualTo("NAME_INVALID");
        Reply staff = share(SAM_STAFF, "key", "archives/case-7/logs.zip", null);
        assertThat(staff.status()).as(staff.toString()).isEqualTo(201);
        assertThat(backend.as(null).post("/v1/shares", "{\"key\":\"" + HOME + "single/cover.jpg\"}").status()).isEqualTo(401);
    }

    @Test
    void aShareOfNothingOrOfAnUnclearTargetOrForTooLongIsRefusedWithTheReason() {
        assertThat(share(ALICE, "key", HOME + "missing.jpg", null).errorCode()).isEqualTo("FILE_NOT_FOUND");
        assertThat(share(ALICE, "prefix", HOME + "empty/", null).errorCode()).isEqualTo("FOLDER_NOT_FOUND");
        assertThat(share(ALICE, "prefix", HOME + "wedding", null).errorCode()).isEqualTo("SHARE_INVALID");
        assertThat(share(ALICE, "key", HOME + "wedding/", null).errorCode()).isEqualTo("SHARE_INVALID");
        assertThat(backend.as(ALICE).post("/v1/shares", "{}").errorCode()).isEqualTo("SHARE_INVALID");
        assertThat(backend.as(ALICE).post("/v1/shares", "{\"key\":\"" + HOME + "single/cover.jpg\",\"prefix\":\"" + HOME + "\"}")
                .errorCode()).isEqualTo("SHARE_INVALID");
        Reply tooLong = share(ALICE, "key", HOME + "single/cover.jpg", Duration.ofDays(31).toSeconds());
        assertThat(tooLong.errorCode()).isEqualTo("EXPIRES_INVALID");
        assertThat(tooLong.json().at("/error/message").asText()).contains("2592000", "30 days");
        assertThat(share(ALICE, "key", HOME + "single/cover.jpg", 59L).errorCode()).isEqualTo("EXPIRES_INVALID");
        assertThat(share(ALICE, "key", HOME + "single/cover.jpg", Duration.ofDays(30).toSeconds()).status()).isEqualTo(201);
    }

    @Test
    void theLongestExpiryIsTheDeploymentsToSet() {
        try (var shortLived = backend.alsoServing(Map.of("SKYLIFT_MAX_SHARE_DAYS", "2"), Clock.systemUTC())) {
            Reply week = shortLived.as(ALICE).post("/v1/shares", "{\"key\":\"" + HOME + "single/cover.jpg\",\"expiresIn\":604800}");
            Reply fallback = shortLived.as(ALICE).post("/v1/shares", "{\"key\":\"" + HOME + "single/cover.jpg\"}");

            assertThat(week.errorCode()).isEqualTo("EXPIRES_INVALID");
            assertThat(fallback.status()).isEqualTo(201);
            assertThat(Duration.between(Instant.parse(fallback.json().get("createdAt").asText()),
                    Instant.parse(fallback.json().get("expiresAt").asText()))).isEqualTo(Duration.ofDays(2));
        }
    }

    @Test
    void namesThatLookLikeHtmlAreShownAsTextAndTheirLinksStillWork() {
        String hostile = "<img src=x onerror=alert(1)>\"'&.jpg";
        put(HOME + "odd/" + hostile, PHOTO, null);
        JsonNode share = shared(ALICE, "prefix", HOME + "odd/");

        String html = open("/s/" + tokenOf(share)).body();

        assertThat(html).doesNotContain("<img", "onerror=alert(1)>\"").contains("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;.jpg");
        Reply redirect = open("/s/" + hrefs(html).getFirst());
        assertThat(redirect.status()).isEqualTo(302);
    }

    @Test
    void anArchivedFileIsListedWithoutALinkAndCannotBeSharedAlone() {
        put(HOME + "cold/frozen.CR3", RAW, StorageClass.GLACIER);
        put(HOME + "cold/warm.jpg", PHOTO, null);
        JsonNode share = shared(ALICE, "prefix", HOME + "cold/");

        String html = open("/s/" + tokenOf(share)).body();

        assertThat(html).contains("frozen.CR3", "Archived");
        assertThat(hrefs(html)).containsExactly(tokenOf(share) + "/" + ref("warm.jpg"));
        Reply archived = open("/s/" + tokenOf(share) + "/" + ref("frozen.CR3"));
        assertThat(archived.status()).isEqualTo(409);
        assertThat(archived.headers()).doesNotContainKey("Location");
        assertThat(share(ALICE, "key", HOME + "cold/frozen.CR3", null).errorCode()).isEqualTo("OBJECT_ARCHIVED");
    }

    @Test
    void aLinkKeepsWorkingAfterOneRotationOfTheSealSecretAndNotAfterTwoAndTheListingSaysSo() {
        Map<String, String> erin = Map.of("sub", "erin-0007", "cognito:username", "erin", "cognito:groups", "[photographers]");
        put("u/erin-0007/a.jpg", PHOTO, null);
        JsonNode made = shared(erin, "key", "u/erin-0007/a.jpg");
        String token = tokenOf(made);
        try (var rotated = backend.alsoServing(Map.of("SKYLIFT_SEAL_SECRET", UploadIdTest.NEXT_SECRET,
                "SKYLIFT_SEAL_SECRET_PREVIOUS", BackendUnderTest.SECRET), Clock.systemUTC());
             var twice = backend.alsoServing(Map.of("SKYLIFT_SEAL_SECRET", UploadIdTest.THIRD_SECRET,
                     "SKYLIFT_SEAL_SECRET_PREVIOUS", UploadIdTest.NEXT_SECRET), Clock.systemUTC())) {
            assertThat(open(rotated, "/s/" + token).status()).isEqualTo(200);
            assertThat(rotated.as(erin).get("/v1/shares").json().get("shares").findValuesAsText("url"))
                    .as("the very link handed out").containsExactly(made.get("url").asText());
            assertThat(open(twice, "/s/" + token).status()).isEqualTo(404);
            assertThat(twice.as(erin).get("/v1/shares").json().get("shares")).as("a link that no longer opens").isEmpty();
        }
    }

    @Test
    void noLogLineCarriesAToken() {
        String token = tokenOf(shared(ALICE, "prefix", HOME + "wedding/"));
        open("/s/" + token);
        open("/s/" + token + "/" + ref("raw/IMG_0001.CR3"));

        assertThat(backend.context.logs()).contains("GET /s/{token}", "GET /s/{token}/{file}").doesNotContain(token);
    }

    @Test
    void aPersonHoldsAtMostAThousandLiveSharesAndExpiredOnesDoNotCount() {
        Map<String, String> dora = Map.of("sub", "dora-0006", "cognito:username", "dora", "cognito:groups", "[photographers]");
        put("u/dora-0006/a.jpg", PHOTO, null);
        long future = Instant.now().plus(Duration.ofDays(3)).getEpochSecond();
        long past = Instant.now().minus(Duration.ofDays(1)).getEpochSecond();
        put("shares/dora-0006/%010d-expired".formatted(past), new byte[0], null);
        IntStream.range(0, 999).parallel().forEach(i -> put("shares/dora-0006/%010d-%05d".formatted(future, i), new byte[0], null));

        Reply thousandth = share(dora, "key", "u/dora-0006/a.jpg", null);
        Reply over = share(dora, "key", "u/dora-0006/a.jpg", null);

        assertThat(thousandth.status()).as(thousandth.toString()).isEqualTo(201);
        assertThat(over.status()).isEqualTo(409);
        assertThat(over.errorCode()).isEqualTo("SHARE_LIMIT");
    }
}
