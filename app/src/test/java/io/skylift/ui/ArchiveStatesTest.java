package io.skylift.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.engine.RemoteEntry;
import io.skylift.engine.TransferState;
import io.skylift.sandbox.Sandbox;
import io.skylift.testing.SandboxBucket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * A case archived to Glacier as support staff meet it in the window: shown as Archived, a download
 * refused with how to restore it before anything starts, Restore, Restoring…, and once storage has
 * it back, Restored until a date, and it downloads intact.
 */
class ArchiveStatesTest {

    static final String CASE = "archives/case-7/";

    @TempDir
    Path dir;
    WindowDriver window;
    Sandbox organisation;
    S3Client bucket;

    @AfterEach
    void close() throws Exception {
        if (window != null) {
            window.close();
        }
        if (bucket != null) {
            bucket.close();
        }
        if (organisation != null) {
            organisation.close();
        }
    }

    /** The window signed in as the sandbox's support person, showing {@code folder} of the shared archive. */
    static MainWindow staffWindowOn(WindowDriver window, Sandbox organisation, String folder) {
        window.clickOn("#api-url").write(organisation.info().api().toString());
        window.clickOn("#token").write(organisation.info().staffToken());
        window.clickOn("#connect");
        MainWindow main = window.awaitSignedIn();
        window.clickOn("Files");
        WindowDriver.onFx(() -> main.browser().open(folder));
        window.await("the archive's folder listed", () -> !main.browser().loadingProperty().get() && !main.browser().entries().isEmpty());
        return main;
    }

    /** The State cell's words the window shows for the file named {@code name}; empty while it is not drawn. */
    static Optional<String> stateShown(WindowDriver window, String name) {
        return WindowDriver.onFx(() -> window.lookup(".table-cell").match(n -> n instanceof TableCell<?, ?> cell && cell.isVisible()
                        && cell.getTableColumn() != null && "State".equals(cell.getTableColumn().getText())
                        && cell.getItem() instanceof RemoteEntry e && e.name().equals(name))
                .tryQuery().map(n -> java.util.Objects.toString(((TableCell<?, ?>) n).getText(), "")));
    }

    private Button dialogButton(String text) {
        window.await("the dialog's " + text + " button", () -> window.lookup(".dialog-pane .button")
                .match(b -> text.equals(((Button) b).getText())).tryQuery().isPresent());
        return window.lookup(".dialog-pane .button").match(b -> text.equals(((Button) b).getText())).query();
    }

    @Test
    void anArchivedFileIsShownArchivedIsRefusedBeforeAnyDownloadAndOnceRestoredDownloadsIntact() throws Exception {
        organisation = Sandbox.start(Sandbox.Settings.ephemeral());
        organisation.archive().restoreDelay(Duration.ofSeconds(2));
        bucket = SandboxBucket.client(organisation);
        Path zip = DesktopWindowTest.randomFile(dir, "case-7.zip", 700_000, 71);
        bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key(CASE + "case-7.zip").storageClass(StorageClass.GLACIER)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32_C), RequestBody.fromFile(zip));
        bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key(CASE + "notes.txt"), RequestBody.fromString("read me now"));
        window = new WindowDriver(dir.resolve("data")).open();
        MainWindow main = staffWindowOn(window, organisation, CASE);

        window.await("case-7.zip shown as Archived", () -> stateShown(window, "case-7.zip").equals(Optional.of("Archived")));
        assertThat(stateShown(window, "notes.txt")).as("a file that downloads now has no state").hasValue("");
        assertThat(window.<Button>node("#delete").isVisible()).as("nothing in the archive can be deleted").isFalse();
        assertThat(window.<Button>node("#rename").isVisible()).isFalse();

        TableView<RemoteEntry> browser = window.node("#browser");
        window.clickOn("case-7.zip");
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        List<RemoteEntry> archived = WindowDriver.onFx(() -> List.copyOf(browser.getSelectionModel().getSelectedItems()));
        WindowDriver.onFx(() -> main.downloadTo(archived, downloads));
        window.await("the refusal", () -> window.lookup("#error-advice").tryQuery().isPresent());
        assertThat(window.lookup("#error-advice").<Label>query().getText()).contains("\"case-7.zip\" is archived (GLACIER)")
                .contains("restore it first with Restore…").contains("48");
        assertThat(WindowDriver.onFx(() -> main.queue().entries().size())).as("no line in the queue for it").isZero();
        window.clickOn(dialogButton("Close"));

        window.clickOn("case-7.zip");
        window.clickOn("#restore");
        window.clickOn(dialogButton("Restore"));
        window.await("case-7.zip shown as Restoring…", () -> stateShown(window, "case-7.zip").equals(Optional.of("Restoring\u2026")));

        // Storage takes its delay; each look again is a new listing.
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!stateShown(window, "case-7.zip").orElse("").startsWith("Restored until ")) {
            assertThat(System.nanoTime()).as("restored within a minute").isLessThan(deadline);
            window.clickOn(refreshButton());
            window.await("the listing again", () -> !main.browser().loadingProperty().get());
        }
        assertThat(stateShown(window, "case-7.zip").orElseThrow()).matches("Restored until \\d{1,2} [A-Z][a-z]{2} \\d{4}");

        window.clickOn("case-7.zip");
        List<RemoteEntry> restored = WindowDriver.onFx(() -> List.copyOf(browser.getSelectionModel().getSelectedItems()));
        WindowDriver.onFx(() -> main.downloadTo(restored, downloads));
        window.awaitRows(1, s -> s == TransferState.DONE);
        assertThat(Files.mismatch(zip, downloads.resolve("case-7.zip"))).as("the restored copy, byte for byte").isEqualTo(-1);
    }

    private javafx.scene.Node refreshButton() {
        return window.lookup(".button").match(b -> "Refresh".equals(((Button) b).getAccessibleText())).query();
    }
}
