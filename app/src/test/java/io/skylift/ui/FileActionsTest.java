package io.skylift.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.engine.RemoteEntry;
import io.skylift.engine.Transfer;
import io.skylift.engine.TransferEngine;
import io.skylift.engine.TransferState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javafx.application.Platform;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Files tab's actions on a photographer's own files, in the real window on the sandbox: a
 * folder downloads with its tree, a large download is asked about first, Delete asks with the count
 * and size, and Rename never replaces a file.
 */
class FileActionsTest {

    @TempDir
    Path dir;
    WindowDriver window;
    MainWindow main;
    String home;

    @AfterEach
    void close() throws Exception {
        if (window != null) {
            window.close();
        }
    }

    private void openWith(Path... uploads) throws Exception {
        window = new WindowDriver(dir.resolve("data")).open("--sandbox");
        main = window.awaitSignedIn();
        home = main.session().account().home();
        TransferEngine engine = main.session().engine();
        for (Path upload : uploads) {
            for (Transfer t : engine.upload(upload, "")) {
                assertThat(t.stopped().join().state()).as("uploaded " + t.name()).isEqualTo(TransferState.DONE);
            }
        }
        window.clickOn("Files");
        window.await("the files in the browser", () -> main.browser().entries().size() >= uploads.length);
    }

    private Map<String, Long> stored() {
        return main.session().engine().listAll(home, false).stream().filter(e -> !e.folder())
                .collect(Collectors.toMap(e -> e.key().substring(home.length()), RemoteEntry::size));
    }

    private List<RemoteEntry> selectInBrowser(String... names) {
        TableView<RemoteEntry> browser = window.node("#browser");
        for (String name : names) {
            // A listing reaches the table's items a pulse before its cells are drawn.
            window.await(name + " drawn in the browser", () -> window.lookup(name).match(javafx.scene.Node::isVisible).tryQuery().isPresent());
        }
        window.clickOn(names[0]);
        for (int i = 1; i < names.length; i++) {
            window.press(KeyCode.CONTROL).clickOn(names[i]).release(KeyCode.CONTROL);
        }
        List<RemoteEntry> selected = WindowDriver.onFx(() -> List.copyOf(browser.getSelectionModel().getSelectedItems()));
        assertThat(selected).extracting(RemoteEntry::name).containsExactlyInAnyOrder(names);
        return selected;
    }

    private Button dialogButton(String text) {
        window.await("the dialog's " + text + " button", () -> window.lookup(".dialog-pane .button")
                .match(b -> text.equals(((Button) b).getText())).tryQuery().isPresent());
        return window.lookup(".dialog-pane .button").match(b -> text.equals(((Button) b).getText())).query();
    }

    private String dialogHeader() {
        return window.lookup(".dialog-pane .header-panel .label").<Label>query().getText();
    }

    @Test
    void aFolderSelectedWithAFileDownloadsAsOneJobWithTheSameTreeAndBytes() throws Exception {
        Path shoot = Files.createDirectories(dir.resolve("up/shoot/raw/deep"));
        Path[] originals = {
            DesktopWindowTest.randomFile(shoot.getParent().getParent(), "a.jpg", 300_000, 31),
            DesktopWindowTest.randomFile(shoot.getParent(), "b.cr3", 2_000_000, 32),
            DesktopWindowTest.randomFile(shoot, "c.cr3", 1_000_000, 33)};
        Path cover = DesktopWindowTest.randomFile(dir.resolve("up"), "cover.jpg", 400_000, 34);
        openWith(dir.resolve("up/shoot"), cover);

        List<RemoteEntry> selected = selectInBrowser("shoot", "cover.jpg");
        assertThat(window.<Button>node("#download").isDisabled()).isFalse();
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        WindowDriver.onFx(() -> main.downloadTo(selected, downloads));
        window.awaitRows(4, s -> s == TransferState.DONE);

        Path up = dir.resolve("up");
        try (Stream<Path> tree = Files.walk(downloads)) {
            assertThat(tree.filter(Files::isRegularFile).map(p -> downloads.relativize(p).toString().replace('\\', '/')))
                    .containsExactlyInAnyOrder("shoot/a.jpg", "shoot/raw/b.cr3", "shoot/raw/deep/c.cr3", "cover.jpg");
        }
        for (Path original : List.of(originals[0], originals[1], originals[2], cover)) {
            assertThat(Files.mismatch(original, downloads.resolve(up.relativize(original)))).as(original.toString()).isEqualTo(-1);
        }
        assertThat(WindowDriver.onFx(() -> main.queue().entries().stream().map(e -> e.nameProperty().get()).toList()))
                .as("the folder is one line of the queue, the file another").containsExactlyInAnyOrder("shoot", "cover.jpg");
    }

    @Test
    void aDownloadOverTheThresholdShowsItsTotalsFirstAndCancelStartsNothing() throws Exception {
        Path big = Files.createDirectories(dir.resolve("up/big"));
        for (int i = 1; i <= 6; i++) {
            DesktopWindowTest.randomFile(big, "IMG_%d.jpg".formatted(i), 100_000, 40 + i);
        }
        Path small = DesktopWindowTest.randomFile(dir.resolve("up"), "small.jpg", 50_000, 49);
        openWith(big, small);
        WindowDriver.onFx(() -> main.model().askAboutDownloadsOver(new LargeSelection(5, Long.MAX_VALUE)));
        Path downloads = Files.createDirectories(dir.resolve("downloads"));

        List<RemoteEntry> folder = selectInBrowser("big");
        Platform.runLater(() -> main.downloadTo(folder, downloads));
        Button cancel = dialogButton("Cancel");
        assertThat(dialogHeader()).isEqualTo("Download 6 files (" + Format.bytes(600_000) + ")?");
        window.clickOn(cancel);
        // Under the threshold, no question: it starts, and it is the only thing that did.
        List<RemoteEntry> file = selectInBrowser("small.jpg");
        WindowDriver.onFx(() -> main.downloadTo(file, downloads));
        window.awaitRows(1, s -> s == TransferState.DONE);
        assertThat(WindowDriver.onFx(() -> main.queue().entries().stream().map(e -> e.nameProperty().get()).toList()))
                .containsExactly("small.jpg");
        assertThat(downloads.resolve("big")).doesNotExist();

        Platform.runLater(() -> main.downloadTo(folder, downloads));
        window.clickOn(dialogButton("Download"));
        window.awaitRows(7, s -> s == TransferState.DONE);
        try (Stream<Path> files = Files.list(downloads.resolve("big"))) {
            assertThat(files).hasSize(6);
        }
    }

    @Test
    void deleteAsksWithTheCountAndSizeCancelDeletesNothingAndDeleteRemovesThemFromStorage() throws Exception {
        Path old = Files.createDirectories(dir.resolve("up/old"));
        DesktopWindowTest.randomFile(old, "one.jpg", 1_000_000, 51);
        DesktopWindowTest.randomFile(Files.createDirectories(old.resolve("sub")), "two.jpg", 2_000_000, 52);
        Path extra = DesktopWindowTest.randomFile(dir.resolve("up"), "extra.jpg", 500_000, 53);
        Path keep = DesktopWindowTest.randomFile(dir.resolve("up"), "keep.jpg", 10_000, 54);
        openWith(old, extra, keep);
        Map<String, Long> before = stored();
        assertThat(before).containsOnlyKeys("old/one.jpg", "old/sub/two.jpg", "extra.jpg", "keep.jpg");

        selectInBrowser("old", "extra.jpg");
        window.type(KeyCode.DELETE);
        Button cancel = dialogButton("Cancel");
        assertThat(dialogHeader()).as("the folder counted by its files").isEqualTo("Delete 3 files (" + Format.bytes(3_500_000) + ")?");
        window.clickOn(cancel);
        // Asked again and answered: if Cancel had deleted, the second question would count nothing.
        window.clickOn("#delete");
        Button delete = dialogButton("Delete");
        assertThat(dialogHeader()).isEqualTo("Delete 3 files (" + Format.bytes(3_500_000) + ")?");
        assertThat(stored()).as("nothing deleted while asking, nor by Cancel").isEqualTo(before);
        window.clickOn(delete);

        window.await("the browser without them", () -> Set.copyOf(main.browser().entries().stream().map(RemoteEntry::name).toList())
                .equals(Set.of("keep.jpg")));
        assertThat(stored()).as("what storage holds").containsOnlyKeys("keep.jpg");
    }

    @Test
    void renameRenamesAndANameAlreadyTakenIsRefusedWithBothFilesUnchanged() throws Exception {
        Path a = DesktopWindowTest.randomFile(dir, "a.jpg", 100_000, 61);
        Path b = DesktopWindowTest.randomFile(dir, "b.jpg", 200_000, 62);
        openWith(a, b);

        selectInBrowser("a.jpg");
        window.clickOn("#rename");
        window.await("the new name field", () -> window.lookup("#new-name").tryQuery().isPresent());
        TextField name = window.node("#new-name");
        assertThat(WindowDriver.onFx(() -> name.getText())).as("prefilled with the name").isEqualTo("a.jpg");
        WindowDriver.onFx(() -> name.setText("c.jpg"));
        window.clickOn(dialogButton("OK"));
        window.await("the renamed file in the browser", () -> Set.copyOf(main.browser().entries().stream().map(RemoteEntry::name).toList())
                .equals(Set.of("b.jpg", "c.jpg")));
        assertThat(stored()).isEqualTo(Map.of("b.jpg", 200_000L, "c.jpg", 100_000L));

        selectInBrowser("c.jpg");
        window.clickOn("#rename");
        window.await("the new name field", () -> window.lookup("#new-name").tryQuery().isPresent());
        TextField again = window.node("#new-name");
        WindowDriver.onFx(() -> again.setText("b.jpg"));
        window.clickOn(dialogButton("OK"));
        window.await("the refusal", () -> window.lookup("#error-advice").tryQuery().isPresent());
        assertThat(dialogHeader()).isEqualTo("A file with that name is already there.");
        assertThat(window.lookup("#error-advice").<Label>query().getText()).contains("'b.jpg' already exists there; it was not replaced");
        assertThat(stored()).as("both files as they were").isEqualTo(Map.of("b.jpg", 200_000L, "c.jpg", 100_000L));
    }
}
