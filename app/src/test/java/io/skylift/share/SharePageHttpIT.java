package io.skylift.share;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.engine.Share;
import io.skylift.sandbox.Sandbox;
import io.skylift.sandbox.SandboxIdentity;
import io.skylift.testing.RandomFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A share link opened without a browser and without signing in, as curl would: the page lists what is
 * shared and nothing else, names cannot inject markup, every answer carries the headers that keep a
 * page inert and unindexed, downloads are a redirect to the sandbox's S3 only, and a tampered or
 * revoked link, or a path reaching outside the share, is refused with a plain page. (An expired link, 410
 * as a revoked one, is the backend's ShareRoutesTest's: it turns the handler's clock instead of waiting.)
 */
class SharePageHttpIT {

    static final String FOLDER = "shoot";
    static final String INJECTED = "<img src=x onerror=alert(1)>.jpg";
    static final String STAFF_KEY = "u/" + SandboxIdentity.STAFF.claims().get("sub") + "/secret-staff.jpg";
    static final OkHttpClient HTTP = new OkHttpClient.Builder().followRedirects(false).callTimeout(Duration.ofSeconds(30)).build();
    // The class="download" links of a share page, relative to it.
    static final Pattern DOWNLOAD = Pattern.compile("<a class=\"download\" href=\"([^\"]+)\"");
    static final Pattern ROW = Pattern.compile("<td class=\"name\">([^<]*)</td><td class=\"size\">([^<]*)</td>");
    // Share tokens are bearer secrets: answers' bodies are kept with each one replaced, so a failure cannot print it.
    static final Set<String> TOKENS = ConcurrentHashMap.newKeySet();

    @TempDir
    static Path dir;
    static ShareFixture fixture;
    static final Map<String, byte[]> shared = new LinkedHashMap<>();
    static Share folder;
    // Made first and checked last, so that most of its minute passes while the other tests run.

    @BeforeAll
    static void start() throws IOException {
        fixture = ShareFixture.start(dir);
        Path files = Files.createDirectories(dir.resolve("files"));
        for (var file : List.of(
                RandomFile.write(files, "IMG_0001.jpg", 123_456, 1),
                RandomFile.write(files, INJECTED, 2_048, 2))) {
            fixture.upload(file, FOLDER);
            shared.put(file.getFileName().toString(), Files.readAllBytes(file));
        }
        // Beside the shared folder: a file above it, a folder whose name begins like it, another person's file.
        fixture.upload(RandomFile.write(files, "other.jpg", 100, 3), "");
        fixture.upload(RandomFile.write(files, "private.jpg", 100, 4), FOLDER + "-private");
        fixture.bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key(STAFF_KEY), RequestBody.fromString("staff only"));
        folder = share(ShareFixture.HOME + FOLDER + "/", Duration.ofDays(7));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    static Share share(String target, Duration expiresIn) {
        Share share = fixture.share(target, expiresIn);
        TOKENS.add(token(share));
        return share;
    }

    static String token(Share share) {
        String path = URI.create(share.url()).getRawPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** An answer with its headers' names in lower case and every share token in its body replaced. */
    record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    static Answer get(String url) throws IOException {
        try (Response response = HTTP.newCall(new Request.Builder().url(url).build()).execute()) {
            Map<String, String> headers = new LinkedHashMap<>();
            response.headers().forEach(h -> headers.merge(h.getFirst().toLowerCase(Locale.ROOT), h.getSecond(), (a, b) -> a + ", " + b));
            return new Answer(response.code(), headers, redacted(response.body().string()));
        }
    }

    /**
     * Sends {@code rawPath} exactly as written, dot segments and percent-escapes included (curl's
     * --path-as-is): an HTTP client resolves "..", and a request that reaches the server unresolved is
     * the one to refuse.
     */
    static Answer getAsIs(String rawPath) throws IOException {
        URI api = fixture.sandbox.info().api();
        try (Socket socket = new Socket(api.getHost(), api.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + rawPath + " HTTP/1.1\r\nHost: " + api.getAuthority() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = answer.indexOf("\r\n\r\n");
            List<String> head = new ArrayList<>(Arrays.asList(answer.substring(0, end).split("\r\n")));
            int status = Integer.parseInt(head.removeFirst().split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : head) {
                int colon = line.indexOf(':');
                headers.merge(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip(), (a, b) -> a + ", " + b);
            }
            return new Answer(status, headers, redacted(answer.substring(end + 4)));
        }
    }

    static String redacted(String body) {
        String kept = body;
        for (String token : TOKENS) {
            kept = kept.replace(token, "<token>");
        }
        return kept;
    }

    /** The relative download links on a page, as written in its HTML (tokens replaced). */
    static List<String> downloadLinks(String html) {
        List<String> links = new ArrayList<>();
        Matcher link = DOWNLOAD.matcher(html);
        while (link.find()) {
            links.add(link.group(1));
        }
        return links;
    }

    /** What a browser resolves a page's relative link to: the link's token put back. */
    /** A file's download link below a share's page, as the page gives it: its path below the share in base64url. */
    static String ref(String path) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(path.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String resolve(Share share, String link) {
        return URI.create(share.url()).resolve(link.replace("<token>", token(share))).toString();
    }

    /** The headers every public answer carries, whatever its status. */
    static void assertGuarded(Answer answer) {
        String csp = answer.header("Content-Security-Policy");
        assertThat(csp).as("Content-Security-Policy").isNotNull();
        Map<String, String> directives = new LinkedHashMap<>();
        for (String directive : csp.split(";")) {
            String[] parts = directive.strip().split("\\s+", 2);
            if (!parts[0].isEmpty()) {
                directives.put(parts[0].toLowerCase(Locale.ROOT), parts.length > 1 ? parts[1].strip() : "");
            }
        }
        // Scripts fall back to default-src when script-src is absent: whichever applies must allow nothing.
        String scripts = directives.getOrDefault("script-src", directives.get("default-src"));
        assertThat(scripts).as("the scripts a page may run, in " + csp).isEqualTo("'none'");
        assertThat(answer.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(answer.header("X-Robots-Tag")).contains("noindex");
        assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
    }

    /** A plain refusal page, naming nothing of the share: the status, HTML, the guarding headers, no redirect. */
    static void assertRefused(Answer answer, int status, String what) {
        assertThat(answer.status()).as(what).isEqualTo(status);
        // Whether there is a redirect, not where to: its address would be a presigned credential.
        assertThat(answer.header("Location") != null).as(what + " redirects").isFalse();
        assertThat(answer.header("Content-Type")).as(what).isEqualTo("text/html; charset=utf-8");
        assertGuarded(answer);
        assertThat(answer.body()).as(what).doesNotContain("u/", FOLDER, "other.jpg", "IMG_0001");
    }

    /** Each of {@code paths}, sent as written after the share's own address, gets the 404 page. */
    static void assertNotFoundBelow(Share share, List<String> paths) throws IOException {
        for (String path : paths) {
            assertRefused(getAsIs("/s/" + token(share) + path), 404, "/s/<token>" + path);
        }
    }

    @Test
    void theFolderPageListsEachFileWithItsSizeAndNothingElse() throws IOException {
        Answer page = get(folder.url());

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertGuarded(page);
        // In the keys' order: '<' sorts before 'I'.
        assertThat(rows(page.body())).containsExactly(
                "&lt;img src=x onerror=alert(1)&gt;.jpg → 2.0 kB",
                "IMG_0001.jpg → 123 kB");
        assertThat(downloadLinks(page.body())).hasSize(shared.size());
        assertThat(page.body()).doesNotContain("u/", "other.jpg", "private.jpg", FOLDER + "-private", "secret-staff",
                SandboxIdentity.PHOTOGRAPHER.claims().get("sub"));
    }

    /** A page's files as "name → size", in the page's order, names as written in its HTML. */
    static List<String> rows(String html) {
        List<String> rows = new ArrayList<>();
        Matcher row = ROW.matcher(html);
        while (row.find()) {
            rows.add(row.group(1) + " → " + row.group(2));
        }
        return rows;
    }

    @Test
    void aFileNameCannotInjectMarkupIntoThePage() throws IOException {
        Answer page = get(folder.url());

        assertThat(page.body()).doesNotContain("<img", "onerror=alert(1)>").contains("&lt;img src=x onerror=alert(1)&gt;.jpg");
        assertThat(downloadLinks(page.body())).contains("<token>/" + ref(INJECTED));
    }

    @Test
    void eachDownloadLinkRedirectsToTheSandboxS3WhichServesTheFileAsAnAttachment() throws IOException {
        List<String> links = downloadLinks(get(folder.url()).body());
        assertThat(links).hasSize(shared.size());
        Map<String, byte[]> served = new LinkedHashMap<>();
        for (String link : links) {
            Answer redirect = get(resolve(folder, link));
            assertThat(redirect.status()).as("link " + link).isEqualTo(302);
            assertGuarded(redirect);
            URI location = URI.create(redirect.header("Location"));
            // Only where it points is compared: the address itself is a presigned credential.
            assertThat(location.getScheme() + "://" + location.getRawAuthority()).isEqualTo(fixture.sandbox.info().s3Endpoint().toString());
            try (Response file = HTTP.newCall(new Request.Builder().url(HttpUrl.get(location)).build()).execute()) {
                assertThat(file.code()).isEqualTo(200);
                String disposition = file.header("Content-Disposition");
                assertThat(disposition).startsWith("attachment");
                served.put(filename(disposition), file.body().bytes());
            }
        }
        assertThat(served.keySet()).containsExactlyInAnyOrderElementsOf(shared.keySet());
        served.forEach((name, bytes) -> assertThat(ShareFixture.sha256(bytes)).as(name).isEqualTo(ShareFixture.sha256(shared.get(name))));
    }

    // filename*=UTF-8''<percent-encoded> (RFC 6266), as the contract has it.
    static String filename(String disposition) {
        Matcher name = Pattern.compile("filename\\*=UTF-8''([^;]+)").matcher(disposition);
        assertThat(name.find()).as(disposition).isTrue();
        return java.net.URLDecoder.decode(name.group(1).replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Test
    void aTokenWithOneCharacterChangedGetsThe404Page() throws IOException {
        String token = token(folder);
        int at = token.length() / 2;
        String tampered = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
        TOKENS.add(tampered);

        assertRefused(getAsIs("/s/" + tampered), 404, "the page");
        assertRefused(getAsIs("/s/" + tampered + "/IMG_0001.jpg"), 404, "a download");
    }

    @Test
    void aRevokedShareGetsThe410PageAndItsLinksNoLongerRedirect() throws IOException {
        Share revoked = share(ShareFixture.HOME + FOLDER + "/", Duration.ofDays(1));
        List<String> links = downloadLinks(get(revoked.url()).body());
        fixture.engine.shares().revoke(revoked.id());

        assertRefused(get(revoked.url()), 410, "the page");
        assertThat(links).isNotEmpty();
        for (String link : links) {
            assertRefused(get(resolve(revoked, link)), 410, link);
        }
    }

    @Test
    void pathsReachingOutsideTheShareGetThe404PageAndNeverARedirect() throws IOException {
        assertNotFoundBelow(folder, List.of(
                "/../other.jpg",
                "/%2e%2e/other.jpg",
                "/%2E%2E/" + FOLDER + "-private/private.jpg",
                "/../" + FOLDER + "-private/private.jpg",
                "/..%2F" + FOLDER + "-private%2Fprivate.jpg",
                "/%2e%2e/x",
                "/./../other.jpg",
                "/" + STAFF_KEY,
                "/" + STAFF_KEY.replace("/", "%2F"),
                "/../../../" + STAFF_KEY,
                "/%2e%2e/%2e%2e/%2e%2e/" + STAFF_KEY,
                "/" + ShareFixture.HOME + "other.jpg",
                "/missing.jpg",
                // The same, as the page's links name files: their path below the share in base64url.
                "/" + ref("../other.jpg"),
                "/" + ref("../" + FOLDER + "-private/private.jpg"),
                "/" + ref("./../other.jpg"),
                "/" + ref("../../../" + STAFF_KEY),
                "/" + ref(STAFF_KEY),
                "/" + ref("missing.jpg")));
    }

    @Test
    void aFileSharesPageOffersThatFileAndNoOther() throws IOException {
        Share file = share(ShareFixture.HOME + FOLDER + "/IMG_0001.jpg", Duration.ofHours(1));
        Answer page = get(file.url());

        assertThat(page.status()).isEqualTo(200);
        assertThat(rows(page.body())).containsExactly("IMG_0001.jpg → 123 kB");
        assertThat(downloadLinks(page.body())).containsExactly("<token>/" + ref("IMG_0001.jpg"));
        assertThat(get(resolve(file, "<token>/" + ref("IMG_0001.jpg"))).status()).isEqualTo(302);
        // Its neighbour in the same folder included.
        assertNotFoundBelow(file, List.of("/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.jpg", "/IMG_0001.jpg/../other.jpg",
                "/../other.jpg", "/other.jpg", "/x/IMG_0001.jpg", "/%2e%2e/IMG_0001.jpg", "/" + ref(INJECTED), "/" + ref("other.jpg"),
                "/" + ref("../other.jpg"), "/" + ref("x/IMG_0001.jpg"), "/" + ref("IMG_0001.jpg/")));
    }
}
