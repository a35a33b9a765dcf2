package io.skylift.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.engine.RemoteEntry;
import io.skylift.engine.TransferState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real window on the in-process sandbox: upload, browse, download, pause and resume. */
class DesktopWindowTest {

    @TempDir
    Path dir;
    WindowDriver window;

    @AfterEach
    void close() throws Exception {
        if (window != null) {
            window.close();
        }
    }

    static Path randomFile(Path dir, String name, int size, long seed) throws Exception {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return Files.write(dir.resolve(name), data);
    }

    @Test
    void theSandboxOpensSignedInAndTwoDroppedFilesArriveAndShowInTheRemoteBrowser() throws Exception {
        Path a = randomFile(dir, "IMG_0001.CR3", 3 * 1024 * 1024, 1);
        Path b = randomFile(dir, "IMG_0002.CR3", 20 * 1024 * 1024, 2);
        window = new WindowDriver(dir.resolve("data")).open("--sandbox");
        MainWindow main = window.awaitSignedIn();
        assertThat(window.stage().getTitle()).startsWith("Skylift");
        assertThat(window.<Label>node("#account").getText()).contains("Pat Photographer");

        window.clickOn("#upload-folder").write("wedding");
        assertThat(window.dropFiles(window.node("#queue"), List.of(a, b))).as("the window takes the drop").isTrue();
        window.awaitRows(2, s -> s == TransferState.DONE);
        window.await("the notice that the batch is done", () -> window.<Label>node("#banner").isVisible());
        assertThat(window.<Label>node("#banner").getText()).isEqualTo("All transfers are done.");

        window.clickOn("Files");
        window.await("the wedding folder in the browser", () -> main.browser().entries().stream().anyMatch(e -> e.name().equals("wedding")));
        TableView<RemoteEntry> browser = window.node("#browser");
        window.doubleClickOn("wedding");
        window.await("both photos in the folder", () -> browser.getItems().stream().map(RemoteEntry::name).toList()
                .containsAll(List.of("IMG_0001.CR3", "IMG_0002.CR3")));
    }

    @Test
    void aLargeUploadPausesAndResumesFromItsRowsButtons() throws Exception {
        Path big = randomFile(dir, "archive.tif", 60 * 1024 * 1024, 3);
        window = new WindowDriver(dir.resolve("data")).open("--sandbox");
        MainWindow main = window.awaitSignedIn();
        main.session().engine().tune(4, 0, 8_000_000);
        WindowDriver.onFx(() -> main.upload(List.of(big)));
        window.await("the upload to be sending", () -> !main.queue().rows().isEmpty()
                && main.queue().rows().getFirst().fractionProperty().get() > 0.05);
        // A setting of 4 is the number itself: the status bar shows it while something runs.
        window.await("the connections in the status bar", () -> !window.<Label>node("#connection-count").getText().isEmpty());
        assertThat(WindowDriver.onFx(() -> window.<Label>node("#connection-count").getText())).isEqualTo("4 conn");

        window.clickOn(window.rowButton("Pause"));
        window.await("the row to show Paused", () -> window.row("archive.tif").stateProperty().get() == TransferState.PAUSED);
        window.await("the notice that nothing runs", () -> window.<Label>node("#banner").isVisible());
        assertThat(window.<Label>node("#banner").getText()).as("a pause is not a finished batch").isEqualTo("0 done · 1 paused.");
        double pausedAt = WindowDriver.onFx(() -> window.row("archive.tif").fractionProperty().get());
        main.session().engine().tune(4, 0, 0);
        window.clickOn(window.rowButton("Resume"));
        window.awaitRows(1, s -> s == TransferState.DONE);

        assertThat(pausedAt).isLessThan(1.0);
        assertThat(window.<Label>node("#summary").getText()).contains("1 done");
    }

    @Test
    void aFileChosenInTheBrowserDownloadsWithTheSameBytes() throws Exception {
        Path photo = randomFile(dir, "portrait.dng", 9 * 1024 * 1024, 4);
        window = new WindowDriver(dir.resolve("data")).open("--sandbox");
        MainWindow main = window.awaitSignedIn();
        WindowDriver.onFx(() -> main.upload(List.of(photo)));
        window.awaitRows(1, s -> s == TransferState.DONE);
        window.clickOn("Files");
        window.await("the photo in the browser", () -> main.browser().entries().stream().anyMatch(e -> e.name().equals("portrait.dng")));

        window.clickOn("portrait.dng");
        TableView<RemoteEntry> browser = window.node("#browser");
        assertThat(window.<Button>node("#download").isDisabled()).isFalse();
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        // "Download to…" asks for a folder in the system's own dialog; the window takes it from there.
        WindowDriver.onFx(() -> main.downloadTo(List.copyOf(browser.getSelectionModel().getSelectedItems()), downloads));
        window.awaitRows(2, s -> s == TransferState.DONE);

        assertThat(Files.mismatch(photo, downloads.resolve("portrait.dng"))).isEqualTo(-1);
    }

    @Test
    void aNameAlreadyTakenIsAskedAboutOnceAndKeepBothStoresTheNewOneUnderANumber() throws Exception {
        Path first = randomFile(dir, "cover.jpg", 200_000, 6);
        window = new WindowDriver(dir.resolve("data")).open("--sandbox");
        MainWindow main = window.awaitSignedIn();
        WindowDriver.onFx(() -> main.upload(List.of(first)));
        window.awaitRows(1, s -> s == TransferState.DONE);
        Path second = Files.createDirectories(dir.resolve("again")).resolve("cover.jpg");
        Files.write(second, new byte[] {1, 2, 3});

        javafx.application.Platform.runLater(() -> main.upload(List.of(second)));
        window.await("the question about the name", () -> window.lookup("Keep both").tryQuery().isPresent());
        assertThat(window.lookup("Replace").<Button>query().isDisabled()).as("storage is never overwritten").isTrue();
        window.clickOn("Keep both");
        window.awaitRows(2, s -> s == TransferState.DONE);

        assertThat(window.row("cover (1).jpg").stateProperty().get()).isEqualTo(TransferState.DONE);
        window.clickOn("Files");
        window.await("both covers in storage", () -> main.browser().entries().stream().map(RemoteEntry::name).toList()
                .containsAll(List.of("cover.jpg", "cover (1).jpg")));
    }

    @Test
    void namesTakenInsideADroppedFolderAreAskedAboutOnceAndSkipUploadsOnlyTheNewFiles() throws Exception {
        Path shoot = Files.createDirectories(dir.resolve("shoot").resolve("raw"));
        randomFile(dir.resolve("shoot"), "a.jpg", 100_000, 8);
        randomFile(shoot, "b.cr3", 100_000, 9);
        randomFile(dir.resolve("shoot"), "same.jpg", 50_000, 11);
        window = new WindowDriver(dir.resolve("data")).open("--sandbox");
        MainWindow main = window.awaitSignedIn();
        WindowDriver.onFx(() -> main.upload(List.of(dir.resolve("shoot"))));
        window.awaitRows(3, s -> s == TransferState.DONE);
        randomFile(dir.resolve("shoot"), "a.jpg", 90_000, 12); // other files now, under the stored names
        randomFile(shoot, "b.cr3", 90_000, 13);
        randomFile(dir.resolve("shoot"), "c.jpg", 100_000, 10);

        javafx.application.Platform.runLater(() -> main.upload(List.of(dir.resolve("shoot"))));
        window.await("one question for the whole folder", () -> window.lookup("Skip them").tryQuery().isPresent());
        assertThat(window.lookup(".dialog-pane .header-panel .label").<Label>query().getText())
                .as("same.jpg is stored byte for byte: no question about it").startsWith("2 of these files");
        window.clickOn("Skip them");
        window.awaitRows(7, s -> s == TransferState.DONE);

        String home = main.session().account().home();
        assertThat(main.session().engine().list(home + "shoot/", false, null).entries())
                .extracting(RemoteEntry::key, RemoteEntry::size)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(home + "shoot/a.jpg", 100_000L),
                        org.assertj.core.groups.Tuple.tuple(home + "shoot/raw/b.cr3", 100_000L),
                        org.assertj.core.groups.Tuple.tuple(home + "shoot/same.jpg", 50_000L),
                        org.assertj.core.groups.Tuple.tuple(home + "shoot/c.jpg", 100_000L));
    }

    @Test
    void aTransferStoppedByAProblemSaysWhatHappenedWhenItsRowIsOpenedWithEnter() throws Exception {
        Path photo = randomFile(dir, "edited.tif", 40 * 1024 * 1024, 12);
        MainWindow main = slowUploadSelectedInTheQueue(photo);
        // Bytes moving means storage knows the upload: paused before that, a changed file is simply sent as it is now.
        window.await("bytes on their way", () -> window.row("edited.tif").fractionProperty().get() > 0);
        window.type(javafx.scene.input.KeyCode.SPACE);
        window.await("paused by Space", () -> window.row("edited.tif").stateProperty().get() == TransferState.PAUSED);
        try (var file = new java.io.RandomAccessFile(photo.toFile(), "rw")) {
            file.seek(1024);
            file.write("retouched".getBytes());
        }
        main.session().engine().tune(4, 0, 0);
        window.type(javafx.scene.input.KeyCode.SPACE);
        window.await("the row to fail", () -> window.row("edited.tif").stateProperty().get() == TransferState.FAILED);

        window.type(javafx.scene.input.KeyCode.ENTER);
        window.await("the explanation", () -> window.lookup("#error-advice").tryQuery().isPresent());

        assertThat(window.lookup(".dialog-pane .header-panel .label").<Label>query().getText())
                .isEqualTo("\"edited.tif\" could not be uploaded.");
        assertThat(window.lookup("#error-advice").<Label>query().getText()).contains("changed");
        assertThat(window.lookup(".row-actions .button").match(b -> "What happened".equals(((Button) b).getAccessibleText())
                && b.isVisible()).tryQuery()).as("the row offers the same by mouse").isPresent();
    }

    @Test
    void everyMainActionIsReachableFromTheKeyboard() throws Exception {
        window = new WindowDriver(dir.resolve("data")).open("--sandbox");
        window.awaitSignedIn();
        List<String> reached = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            window.type(javafx.scene.input.KeyCode.TAB);
            javafx.scene.Node focused = WindowDriver.onFx(() -> window.stage().getScene().getFocusOwner());
            if (focused != null) {
                reached.add(focused.getId() != null ? focused.getId()
                        : focused instanceof javafx.scene.control.Labeled l && l.getText() != null ? l.getText() : focused.getAccessibleText());
            }
        }
        assertThat(reached).as("reached with Tab").contains("settings", "sign-out", "add-files", "Add folder…", "upload-folder");
        assertThat(reached.indexOf("add-files")).as("the toolbar in reading order").isLessThan(reached.indexOf("upload-folder"));

        window.press(javafx.scene.input.KeyCode.CONTROL).type(javafx.scene.input.KeyCode.DIGIT2).release(javafx.scene.input.KeyCode.CONTROL);
        window.await("the Files tab", () -> window.lookup(".tab-pane").<javafx.scene.control.TabPane>query()
                .getSelectionModel().getSelectedIndex() == 1);
        window.press(javafx.scene.input.KeyCode.CONTROL).type(javafx.scene.input.KeyCode.DIGIT1).release(javafx.scene.input.KeyCode.CONTROL);
        window.await("the Transfers tab", () -> window.lookup(".tab-pane").<javafx.scene.control.TabPane>query()
                .getSelectionModel().getSelectedIndex() == 0);
        window.press(javafx.scene.input.KeyCode.CONTROL).type(javafx.scene.input.KeyCode.COMMA).release(javafx.scene.input.KeyCode.CONTROL);
        window.await("the settings", () -> window.lookup("#connections").tryQuery().isPresent());
        window.type(javafx.scene.input.KeyCode.ESCAPE);
        window.await("the settings closed", () -> window.lookup("#connections").tryQuery().isEmpty());
    }

    @Test
    void aBandwidthLimitSavedInTheSettingsHoldsTheNextUploadAndIsRemembered() throws Exception {
        Path photo = randomFile(dir, "limited.tif", 12 * 1024 * 1024, 13);
        window = new WindowDriver(dir.resolve("data")).open("--sandbox");
        MainWindow main = window.awaitSignedIn();

        window.clickOn("#settings");
        window.await("the settings", () -> window.lookup("#bandwidth").tryQuery().isPresent());
        javafx.scene.control.Spinner<Integer> bandwidth = window.node("#bandwidth");
        WindowDriver.onFx(() -> bandwidth.getValueFactory().setValue(4));
        window.clickOn("OK");
        long started = System.nanoTime();
        WindowDriver.onFx(() -> main.upload(List.of(photo)));
        window.awaitRows(1, s -> s == TransferState.DONE);
        double seconds = (System.nanoTime() - started) / 1e9;

        // 12 MiB at 4 MB/s cannot take much less than 3 s (a quarter second of burst allowed).
        assertThat(seconds).as("seconds for 12 MiB at 4 MB/s").isGreaterThan(2.5);
        assertThat(Files.readString(dir.resolve("data").resolve("settings.json"))).contains("\"bandwidthMBps\":4");
    }

    @Test
    void theQueueCanBeDrivenFromTheKeyboard() throws Exception {
        Path big = randomFile(dir, "keyboard.tif", 40 * 1024 * 1024, 7);
        MainWindow main = slowUploadSelectedInTheQueue(big);

        window.type(javafx.scene.input.KeyCode.SPACE);
        window.await("paused by Space", () -> window.row("keyboard.tif").stateProperty().get() == TransferState.PAUSED);
        main.session().engine().tune(4, 0, 0);
        window.type(javafx.scene.input.KeyCode.SPACE);
        window.awaitRows(1, s -> s == TransferState.DONE);
    }

    // The window on the sandbox, sending one slowed upload whose row has the keyboard's focus.
    private MainWindow slowUploadSelectedInTheQueue(Path file) throws Exception {
        window = new WindowDriver(dir.resolve("data")).open("--sandbox");
        MainWindow main = window.awaitSignedIn();
        main.session().engine().tune(4, 0, 6_000_000);
        WindowDriver.onFx(() -> main.upload(List.of(file)));
        String name = file.getFileName().toString();
        window.await("the upload to be sending", () -> window.row(name).stateProperty().get() == TransferState.RUNNING);
        javafx.scene.control.TreeTableView<?> queue = window.node("#queue");
        WindowDriver.onFx(() -> {
            queue.requestFocus();
            queue.getSelectionModel().select(0);
        });
        return main;
    }
}
