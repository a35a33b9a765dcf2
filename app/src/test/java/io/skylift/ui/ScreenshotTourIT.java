package io.skylift.ui;

import io.skylift.engine.RestoreTier;
import io.skylift.engine.TransferState;
import io.skylift.sandbox.Sandbox;
import io.skylift.testing.SandboxBucket;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.image.PixelReader;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * Renders the window's main states at 1280×800 into the folder named by {@code skylift.screenshots}
 * (docs/screenshots.sh runs it). Not part of the normal test run.
 */
@EnabledIfSystemProperty(named = "skylift.screenshots", matches = ".+")
class ScreenshotTourIT {

    @TempDir
    Path dir;
    WindowDriver window;

    @AfterEach
    void close() throws Exception {
        if (window != null) {
            window.close();
        }
    }

    static void save(Scene scene, Path file) throws Exception {
        write(WindowDriver.onFx(() -> scene.snapshot(null)), file);
    }

    // The whole screen as the robot sees it: a dialog over its window, as a person sees them.
    static void saveScreen(WindowDriver window, Path file) throws Exception {
        write(window.capture(javafx.stage.Screen.getPrimary().getBounds()).getImage(), file);
    }

    static void write(javafx.scene.image.Image image, Path file) throws Exception {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        BufferedImage png = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        PixelReader pixels = image.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                png.setRGB(x, y, pixels.getArgb(x, y));
            }
        }
        ImageIO.write(png, "png", file.toFile());
    }

    @Test
    void renderTheMainStates() throws Exception {
        Path out = Files.createDirectories(Path.of(System.getProperty("skylift.screenshots")));

        // An error a person can read: a sign-in that did not work.
        window = new WindowDriver(dir.resolve("fresh")).open();
        window.clickOn("#api-url").write("https://skylift.example.invalid");
        window.clickOn("#token").write("expired-token");
        window.clickOn("#connect");
        window.await("the error", () -> window.<javafx.scene.control.Label>node("#connect-error").isVisible());
        save(window.stage().getScene(), out.resolve("screenshot-error.png"));
        window.close();

        // For people inside the AWS account: a bucket and a profile instead of an address.
        window = new WindowDriver(dir.resolve("fresh-aws")).open();
        window.clickOn(window.<javafx.scene.control.TitledPane>node("#direct-pane").lookup(".title"));
        window.clickOn("#direct-bucket").write("studio-archive");
        window.clickOn("#direct-profile").write("studio");
        window.clickOn("#direct-region").write("eu-west-1");
        WindowDriver.onFx(() -> window.node("#connect-direct").requestFocus());
        save(window.stage().getScene(), out.resolve("screenshot-connect-aws.png"));
        window.close();

        // The empty queue, right after signing in to the sandbox.
        window = new WindowDriver(dir.resolve("data")).open("--sandbox");
        MainWindow main = window.awaitSignedIn();
        save(window.stage().getScene(), out.resolve("screenshot-empty.png"));

        // A busy queue: a few picks sent on their own and done, the shoot's folder going up (opened
        // to its files), one of them paused.
        Path picked = Files.createDirectories(dir.resolve("picked"));
        Path shoot = Files.createDirectories(dir.resolve("2026-11-22 wedding"));
        Random random = new Random(1);
        List<Path> photos = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            byte[] data = new byte[(3 + random.nextInt(30)) * 1024 * 1024];
            random.nextBytes(data);
            photos.add(Files.write((i <= 6 ? picked : shoot).resolve("IMG_%04d.CR3".formatted(4810 + i)), data));
        }
        window.clickOn("#upload-folder").write("2026-11-22 wedding");
        main.session().engine().tune(4, 0, 0);
        WindowDriver.onFx(() -> main.upload(photos.subList(0, 6)));
        window.awaitRows(6, s -> s == TransferState.DONE);
        // The folder itself becomes "2026-11-22 wedding" in storage, beside the picks.
        WindowDriver.onFx(() -> window.<javafx.scene.control.TextField>node("#upload-folder").clear());
        main.session().engine().tune(4, 0, 12_000_000);
        WindowDriver.onFx(() -> main.upload(List.of(shoot)));
        window.await("four photos sending", () -> main.queue().rows().stream()
                .filter(r -> r.stateProperty().get() == TransferState.RUNNING && r.fractionProperty().get() > 0.15).count() >= 3);
        WindowDriver.onFx(() -> window.<javafx.scene.control.TreeTableView<?>>node("#queue").getRoot().getChildren().stream()
                .filter(item -> item.getValue() instanceof io.skylift.ui.queue.FolderRow).forEach(item -> item.setExpanded(true)));
        WindowDriver.onFx(() -> main.queue().rows().get(11).transfer().pause()); // a file of the folder still waiting, on screen
        window.await("one paused", () -> main.queue().rows().stream().anyMatch(r -> r.stateProperty().get() == TransferState.PAUSED));
        // Let the "first batch done" notice fade and the rates settle.
        window.await("the notice to go", () -> !window.<javafx.scene.control.Label>node("#banner").isVisible());
        // No caret blinking in the folder field: the queue has the focus, as after a drop.
        WindowDriver.onFx(() -> window.node("#queue").requestFocus());
        save(window.stage().getScene(), out.resolve("screenshot-queue.png"));

        // The remote browser.
        main.session().engine().tune(4, 0, 0);
        window.await("everything up", () -> main.queue().rows().stream()
                .allMatch(r -> r.stateProperty().get() == TransferState.DONE || r.stateProperty().get() == TransferState.PAUSED));
        window.clickOn("Files");
        window.await("the folder", () -> main.browser().entries().stream().anyMatch(e -> e.name().equals("2026-11-22 wedding")));
        window.doubleClickOn("2026-11-22 wedding");
        window.await("the photos", () -> main.browser().entries().size() > 10);
        window.clickOn("IMG_4813.CR3");
        window.await("the notice to go", () -> !window.<javafx.scene.control.Label>node("#banner").isVisible());
        save(window.stage().getScene(), out.resolve("screenshot-browser.png"));

        // Settings.
        Platform.runLater(() -> window.<javafx.scene.control.Button>node("#settings").fire());
        window.await("the settings dialog", () -> window.lookup("#connections").tryQuery().isPresent());
        WindowDriver.onFx(() -> window.lookup("#connections").query().getScene().getRoot().requestFocus());
        WaitForAsyncUtils.waitForFxEvents();
        saveScreen(window, out.resolve("screenshot-settings.png"));
        window.clickOn("Cancel");
        window.close();

        archiveStates(out);
    }

    // The shared archive as support staff see it: a case whose files are archived, being restored and restored.
    private void archiveStates(Path out) throws Exception {
        String folder = "archives/case-4411/";
        try (Sandbox organisation = Sandbox.start(Sandbox.Settings.ephemeral()); S3Client bucket = SandboxBucket.client(organisation)) {
            Random random = new Random(2);
            Map<String, StorageClass> files = new LinkedHashMap<>();
            files.put("case-4411.zip", StorageClass.GLACIER);
            files.put("core-dump-node-2.tar.gz", StorageClass.GLACIER);
            files.put("server-logs-2026-10.zip", StorageClass.DEEP_ARCHIVE);
            files.put("ticket-notes.txt", StorageClass.STANDARD);
            files.forEach((name, storageClass) -> {
                byte[] data = new byte[(1 + random.nextInt(40)) * 1024 * 1024];
                random.nextBytes(data);
                bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key(folder + name).storageClass(storageClass), RequestBody.fromBytes(data));
            });
            bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key(folder + "attachments/screenshot-1.png"), RequestBody.fromString("png"));
            window = new WindowDriver(dir.resolve("staff")).open();
            MainWindow main = ArchiveStatesTest.staffWindowOn(window, organisation, folder);
            var restores = main.session().engine().files();
            // One restore done at once, one that takes far longer than the picture.
            organisation.archive().restoreDelay(java.time.Duration.ZERO);
            restores.restore(List.of(folder + "server-logs-2026-10.zip"), 7, RestoreTier.STANDARD);
            organisation.archive().restoreDelay(java.time.Duration.ofHours(5));
            restores.restore(List.of(folder + "core-dump-node-2.tar.gz"), 7, RestoreTier.STANDARD);
            WindowDriver.onFx(() -> main.browser().refresh());
            window.await("the three states", () -> ArchiveStatesTest.stateShown(window, "server-logs-2026-10.zip").orElse("")
                    .startsWith("Restored until ") && ArchiveStatesTest.stateShown(window, "core-dump-node-2.tar.gz")
                    .equals(java.util.Optional.of("Restoring\u2026")));
            window.clickOn("case-4411.zip");
            WaitForAsyncUtils.waitForFxEvents();
            save(window.stage().getScene(), out.resolve("screenshot-archive.png"));
            // Before its sandbox goes: the window lets go of its connection first.
            window.close();
            window = null;
        }
    }
}
