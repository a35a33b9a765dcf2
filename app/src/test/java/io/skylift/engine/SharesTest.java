package io.skylift.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skylift.engine.TransferException.Reason;
import io.skylift.sandbox.Sandbox;
import io.skylift.testing.SandboxBucket;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;

/**
 * Share links through the engine against the sandbox: a link opens a page naming what it shares and
 * lasts as long as asked, a revoked one stops working, and what the person may not read, or longer
 * than the service allows, is refused in the service's words.
 */
class SharesTest {

    static final String HOME = "u/sandbox-photographer/";

    @TempDir
    static Path dir;
    static EngineFixture fixture;
    static S3Client bucket;
    static Shares shares;
    // A browser would follow the page's links; the test looks at each answer itself.
    static final OkHttpClient browser = new OkHttpClient.Builder().followRedirects(false).followSslRedirects(false).build();

    @BeforeAll
    static void start() throws IOException {
        fixture = EngineFixture.start(dir, 5L << 20);
        bucket = SandboxBucket.client(fixture.sandbox);
        shares = fixture.engine.shares();
    }

    @AfterAll
    static void stop() {
        bucket.close();
        fixture.close();
    }

    static void put(String key, String text) {
        bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key(key).checksumAlgorithm(ChecksumAlgorithm.CRC32_C), RequestBody.fromString(text));
    }

    record Page(int status, String contentType, String body) {}

    static Page open(String url) throws IOException {
        try (Response response = browser.newCall(new Request.Builder().url(url).build()).execute()) {
            return new Page(response.code(), response.header("Content-Type", ""), response.body().string());
        }
    }

    @Test
    void aFileAndAFolderShareEachOpenAPageNamingWhatTheyShareAndAreListedWithTheExpiryAsked() throws IOException {
        put(HOME + "deliver/IMG_0001.jpg", "the first photo");
        put(HOME + "shoot-42/raw/IMG_0002.CR3", "a raw file");
        put(HOME + "shoot-42/IMG_0003.jpg", "an edit");

        Instant before = Instant.now();
        Share file = shares.create(HOME + "deliver/IMG_0001.jpg", null);
        Share folder = shares.create(HOME + "shoot-42/", Duration.ofHours(12));
        Instant after = Instant.now();

        assertThat(file.folder()).isFalse();
        assertThat(file.name()).isEqualTo("IMG_0001.jpg");
        assertThat(file.target()).isEqualTo(HOME + "deliver/IMG_0001.jpg");
        assertThat(folder.folder()).isTrue();
        assertThat(folder.target()).isEqualTo(HOME + "shoot-42/");
        assertThat(file.expiresAt()).as("the default: 7 days")
                .isBetween(before.plus(Shares.DEFAULT_EXPIRY).minusSeconds(1), after.plus(Shares.DEFAULT_EXPIRY).plusSeconds(1));
        assertThat(folder.expiresAt()).as("as asked: 12 hours")
                .isBetween(before.plus(Duration.ofHours(12)).minusSeconds(1), after.plus(Duration.ofHours(12)).plusSeconds(1));

        Page filePage = open(file.url());
        assertThat(filePage.status()).isEqualTo(200);
        assertThat(filePage.contentType()).startsWith("text/html");
        assertThat(filePage.body().contains("IMG_0001.jpg")).as("the page names the file").isTrue();
        Page folderPage = open(folder.url());
        assertThat(folderPage.status()).isEqualTo(200);
        assertThat(folderPage.contentType()).startsWith("text/html");
        assertThat(folderPage.body().contains("raw/IMG_0002.CR3") && folderPage.body().contains("IMG_0003.jpg"))
                .as("the page names the folder's files").isTrue();

        List<Share> listed = shares.list();
        assertThat(listed).filteredOn(s -> s.id().equals(file.id())).singleElement()
                .satisfies(s -> assertThat(s.expiresAt()).isEqualTo(file.expiresAt()))
                .satisfies(s -> assertThat(s.url().equals(file.url())).as("the link it was made with").isTrue())
                .satisfies(s -> assertThat(s.target()).isEqualTo(file.target()));
        assertThat(listed).filteredOn(s -> s.id().equals(folder.id())).singleElement()
                .satisfies(s -> assertThat(s.expiresAt()).isEqualTo(folder.expiresAt()))
                .satisfies(s -> assertThat(s.folder()).isTrue());
        assertThat(listed).as("soonest to expire first").isSortedAccordingTo(java.util.Comparator.comparing(Share::expiresAt));
    }

    @Test
    void aRevokedShareIsNoLongerListedAndItsPageAnswersGone() throws IOException {
        put(HOME + "revoke-me/notes.txt", "for a while only");
        Share share = shares.create(HOME + "revoke-me/notes.txt", Duration.ofDays(1));
        assertThat(open(share.url()).status()).isEqualTo(200);
        // The page's download link: the file's name in base64url after the token.
        String download = share.url() + "/" + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("notes.txt".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(open(download).status()).as("its download, to storage").isEqualTo(302);

        shares.revoke(share.id());

        assertThat(shares.list()).extracting(Share::id).doesNotContain(share.id());
        // The service refuses a revoked link from the next request on.
        assertThat(open(share.url()).status()).isEqualTo(410);
        assertThat(open(download).status()).as("its download too").isEqualTo(410);
    }

    @Test
    void revokingAShareThatIsNotThePersonsIsRefusedAsNotFoundInTheServicesWords() {
        assertThatThrownBy(() -> shares.revoke("AAAAAAAAAAAAAAAAAAAAAA"))
                .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND))
                .hasMessageContaining("SHARE_NOT_FOUND");
    }

    @Test
    void anotherPersonsFileAndForAPhotographerTheArchiveCannotBeShared() {
        put("u/someone-else/theirs.jpg", "theirs");
        for (String key : List.of("u/someone-else/theirs.jpg", "u/someone-else/", "archives/welcome/README.txt", "archives/")) {
            assertThatThrownBy(() -> shares.create(key, null)).as(key)
                    .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.reason()).isEqualTo(Reason.FORBIDDEN))
                    .hasMessageMatching("(?s).*\\((KEY|PREFIX)_FORBIDDEN\\)$");
        }
        assertThat(shares.list()).extracting(Share::target).noneMatch(t -> t.startsWith("u/someone-else/") || t.startsWith("archives/"));
    }

    @Test
    void anExpiryBeyondTheServicesMaximumIsRefusedNamingTheAllowedRange() {
        put(HOME + "long/a.jpg", "a");

        assertThatThrownBy(() -> shares.create(HOME + "long/a.jpg", Duration.ofDays(31)))
                .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_REQUEST))
                .hasMessageContaining("EXPIRES_INVALID");
        assertThat(shares.list()).extracting(Share::target).doesNotContain(HOME + "long/a.jpg");
    }

    @Test
    void theDirectRouteHasNoShareLinksAndSaysSo() {
        var target = new DirectTarget(fixture.sandbox.info().bucket(), null, "us-east-1", fixture.sandbox.info().s3Endpoint());
        try (TransferEngine direct = TransferEngine.start(EngineSettings.direct(target, dir.resolve("direct-journal")))) {
            for (Runnable call : List.<Runnable>of(() -> direct.shares().create(HOME + "deliver/IMG_0001.jpg", null),
                    () -> direct.shares().list(), () -> direct.shares().revoke("AAAAAAAAAAAAAAAAAAAAAA"))) {
                assertThatThrownBy(call::run).isInstanceOf(TransferException.class).hasMessageContaining("direct mode");
            }
        }
    }

    @Test
    void aSharesTextLeavesItsLinkOut() {
        put(HOME + "secret-link/a.jpg", "a");
        Share share = shares.create(HOME + "secret-link/a.jpg", Duration.ofMinutes(30));

        String token = share.url().substring(share.url().indexOf("/s/") + 3);
        assertThat(share.toString().contains(token)).as("the link's token in the share's text").isFalse();
        assertThat(share.toString()).contains(share.id()).contains("a.jpg");
    }
}
