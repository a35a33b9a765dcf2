package io.skylift.share;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.engine.Share;
import io.skylift.testing.RandomFile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client opens a folder's share link in a real browser (headless Chromium, Debian's package) and
 * saves each file with its download button: the page the sandbox serves works with scripts forbidden,
 * and every file arrives under its own name with exactly its bytes.
 */
class SharePageBrowserIT {

    static final String FOLDER = "2026-11-22 wedding";
    // Sending 20 MB through the local S3 server takes well under a second; this is for one that hangs.
    static final Duration DOWNLOAD_DEADLINE = Duration.ofSeconds(60);
    // The page's picture, docs/screenshot-share-page.png: into the folder docs/screenshots.sh names, else target/.
    static final Path SCREENSHOT = Path.of(System.getProperty("skylift.screenshots", "target"), "screenshot-share-page.png");

    @TempDir
    Path dir;

    @Test
    void eachDownloadButtonOnAFolderPageSavesItsFileUnderItsNameWithExactlyItsBytes() throws IOException, InterruptedException {
        try (ShareFixture fixture = ShareFixture.start(dir)) {
            Path originals = Files.createDirectories(dir.resolve("originals"));
            Map<Path, String> folders = new LinkedHashMap<>();
            folders.put(RandomFile.write(originals, "IMG_0001.CR3", 20L << 20, 1), FOLDER);
            folders.put(RandomFile.write(originals, "IMG_0002.CR3", 300_000, 2), FOLDER);
            // A file in a subfolder is listed as edits/IMG_0001-edit.jpg and saved under its own name.
            folders.put(RandomFile.write(Files.createDirectories(originals.resolve("edits")), "IMG_0001-edit.jpg", 150_000, 3),
                    FOLDER + "/edits");
            folders.put(RandomFile.write(originals, "read me.txt", 1_234, 4), FOLDER);
            Map<String, String> expected = new TreeMap<>();
            for (var file : folders.entrySet()) {
                fixture.upload(file.getKey(), file.getValue());
                expected.put(file.getKey().getFileName().toString(), ShareFixture.sha256(Files.readAllBytes(file.getKey())));
            }
            Share share = fixture.share(ShareFixture.HOME + FOLDER + "/", Duration.ofDays(7));

            try (HeadlessChromium browser = HeadlessChromium.start(dir.resolve("browser"))) {
                browser.open(URI.create(share.url()));
                String page = browser.text(browser.find("body"));
                assertThat(browser.title()).contains(FOLDER);
                assertThat(page).contains("edits/IMG_0001-edit.jpg", "IMG_0001.CR3", "IMG_0002.CR3", "read me.txt")
                        .doesNotContain(ShareFixture.HOME);
                List<HeadlessChromium.Element> buttons = browser.findAll("a.download");
                assertThat(buttons).as("download buttons").hasSize(folders.size());
                // The page's one style is allowed by its hash in the Content-Security-Policy: were the hash wrong,
                // the browser would drop the style and the buttons would be bare links.
                assertThat(browser.css(buttons.getFirst(), "background-color")).as("a download button's colour")
                        .isNotEqualTo("rgba(0, 0, 0, 0)");
                byte[] screenshot = browser.screenshot();
                assertThat(width(screenshot)).as("the screenshot's width").isEqualTo(1000);
                Files.createDirectories(SCREENSHOT.getParent());
                Files.write(SCREENSHOT, screenshot);

                for (int i = 0; i < buttons.size(); i++) {
                    browser.click(buttons.get(i));
                    awaitFinishedDownloads(browser.downloads(), i + 1);
                }
                Map<String, String> saved = new TreeMap<>();
                for (Path file : finished(browser.downloads())) {
                    saved.put(file.getFileName().toString(), ShareFixture.sha256(Files.readAllBytes(file)));
                }
                assertThat(saved).as("name → SHA-256 of what the browser saved").isEqualTo(expected);
            }
        }
    }

    /** Waits until the browser has finished {@code count} downloads and has none under way. */
    static void awaitFinishedDownloads(Path downloads, int count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + DOWNLOAD_DEADLINE.toNanos();
        while (finished(downloads).size() < count || !underWay(downloads).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("After " + DOWNLOAD_DEADLINE.toSeconds() + " s the browser had finished "
                        + finished(downloads).size() + " of " + count + " downloads; under way: " + underWay(downloads));
            }
            Thread.sleep(50);
        }
    }

    // Chromium writes a download into a hidden temporary file (".org.chromium.Chromium.XXXXXX"), then
    // NAME.crdownload (first "Unconfirmed N.crdownload"), and renames it to NAME once it is whole.
    static boolean partial(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") || name.endsWith(".crdownload");
    }

    static List<Path> finished(Path downloads) throws IOException {
        return inFolder(downloads).stream().filter(file -> !partial(file)).toList();
    }

    static List<String> underWay(Path downloads) throws IOException {
        return inFolder(downloads).stream().filter(SharePageBrowserIT::partial).map(file -> file.getFileName().toString()).toList();
    }

    static List<Path> inFolder(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }

    static int width(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).as("a PNG").isNotNull();
        return image.getWidth();
    }
}
