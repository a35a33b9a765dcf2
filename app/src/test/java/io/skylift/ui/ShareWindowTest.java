package io.skylift.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.engine.Share;
import io.skylift.engine.Transfer;
import io.skylift.engine.TransferEngine;
import io.skylift.engine.TransferState;
import io.skylift.ui.share.SharesView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Share links in the real window on the sandbox: Share… on one file or folder makes a link whose page
 * opens without signing in, Copy link puts exactly that link on the clipboard, the Shares tab lists it
 * with its expiry, and Revoke (after a question) stops it working; the Shares tab does not keep the
 * window from turning to the queue. The links are credentials: the assertions never print one.
 */
class ShareWindowTest {

    private static final String LINK = "http://127\\.0\\.0\\.1:\\d+/s/[^/?#\\s]+";

    @TempDir
    Path dir;
    WindowDriver window;
    MainWindow main;
    final OkHttpClient http = new OkHttpClient.Builder().followRedirects(false).build();

    @AfterEach
    void close() throws Exception {
        if (window != null) {
            window.close();
        }
    }

    private TransferEngine engine() {
        return main.session().engine();
    }

    private void openWith(Path... uploads) throws Exception {
        window = new WindowDriver(dir.resolve("data")).open("--sandbox");
        main = window.awaitSignedIn();
        for (Path upload : uploads) {
            for (Transfer t : engine().upload(upload, "")) {
                assertThat(t.stopped().join().state()).as("uploaded " + t.name()).isEqualTo(TransferState.DONE);
            }
        }
    }

    private void selectInFiles(String... names) {
        window.clickOn("#files-tab .tab-label");
        for (String name : names) {
            window.await(name + " drawn in the browser", () -> cell("#browser", name).tryQuery().isPresent());
        }
        window.clickOn(cell("#browser", names[0]).<Node>query());
        for (int i = 1; i < names.length; i++) {
            window.press(KeyCode.CONTROL).clickOn(cell("#browser", names[i]).<Node>query()).release(KeyCode.CONTROL);
        }
        TableView<?> browser = window.node("#browser");
        assertThat(WindowDriver.onFx(() -> browser.getSelectionModel().getSelectedItems().size())).isEqualTo(names.length);
    }

    // A cell a person can see: tables keep cells off screen for measuring, and the other tabs keep theirs.
    private org.testfx.service.query.NodeQuery cell(String table, String text) {
        return window.lookup(table + " .table-cell").match((Predicate<Node>) c -> text.equals(((Labeled) c).getText()) && shown(c));
    }

    private static boolean shown(Node node) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        return node.getScene() != null;
    }

    private Button dialogButton(String text) {
        Predicate<Node> wanted = b -> text.equals(((Button) b).getText()) && shown(b);
        window.await("the dialog's " + text + " button", () -> window.lookup(".dialog-pane .button").match(wanted).tryQuery().isPresent());
        return window.lookup(".dialog-pane .button").match(wanted).query();
    }

    /** Share… on the selection, the expiry chosen, Create link; returns the link the dialog shows. */
    private String createLink(String expiry) {
        window.clickOn("#share");
        window.await("the expiry choice", () -> window.lookup("#expiry-7d").tryQuery().isPresent());
        assertThat(window.<ToggleButton>node("#expiry-7d").isSelected()).as("a week unless chosen otherwise").isTrue();
        window.clickOn(expiry);
        window.clickOn(dialogButton("Create link"));
        window.await("the link in the dialog", () -> shown(window.node("#share-url")) && !window.<TextField>node("#share-url").getText().isEmpty());
        String url = WindowDriver.onFx(() -> window.<TextField>node("#share-url").getText());
        assertThat(url.matches(LINK)).as("the field holds a link to the sandbox's share page").isTrue();
        assertThat(window.<TextField>node("#share-url").isEditable()).isFalse();
        return url;
    }

    private Share listed(String url) {
        return engine().shares().list().stream().filter(s -> s.url().equals(url)).findFirst()
                .orElseThrow(() -> new AssertionError("the service lists no share with the dialog's link"));
    }

    // toString leaves the body out: its download links carry the link's secret.
    private record Page(int status, String type, String body) {
        @Override
        public String toString() {
            return "Page[" + status + ", " + type + "]";
        }
    }

    private Page get(String url) throws Exception {
        try (Response response = http.newCall(new Request.Builder().url(url).build()).execute()) {
            return new Page(response.code(), String.valueOf(response.header("Content-Type")), response.body().string());
        }
    }

    @Test
    void aFileSharedForAWeekOpensItsPageCopiesTheLinkIsListedWithItsExpiryAndRevokeStopsIt() throws Exception {
        Path proof = DesktopWindowTest.randomFile(dir, "proof-0042.jpg", 250_000, 71);
        openWith(proof);
        // Listed (empty) first: the link made below must join the list without listing again.
        window.clickOn("#shares-tab .tab-label");
        window.await("the shares listed", () -> main.browser().shares().loadedProperty().get());
        assertThat(WindowDriver.onFx(() -> List.copyOf(main.browser().shares().shares()))).isEmpty();

        selectInFiles("proof-0042.jpg");
        Instant asked = Instant.now();
        String url = createLink("7 days");
        Share share = listed(url);
        assertThat(share.folder()).isFalse();
        assertThat(share.expiresAt()).as("a week from now").isBetween(asked.plus(Duration.ofDays(7)).minusSeconds(60),
                Instant.now().plus(Duration.ofDays(7)).plusSeconds(60));
        assertThat(window.<Label>node("#share-expires").getText()).isEqualTo("Expires " + SharesView.when(share.expiresAt()));
        if (System.getProperty("skylift.screenshots") != null) {
            Path out = Files.createDirectories(Path.of(System.getProperty("skylift.screenshots")));
            ScreenshotTourIT.saveScreen(window, out.resolve("screenshot-share-dialog.png"));
        }

        Page page = get(url);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.type()).startsWith("text/html");
        assertThat(page.body().contains("proof-0042.jpg")).as("the page lists the file").isTrue();

        WindowDriver.onFx(() -> Clipboard.getSystemClipboard().clear());
        window.clickOn("#copy-link");
        assertThat(WindowDriver.onFx(() -> url.equals(Clipboard.getSystemClipboard().getString())))
                .as("exactly the dialog's link on the clipboard").isTrue();
        window.clickOn(dialogButton("Close"));

        window.clickOn("#shares-tab .tab-label");
        String expires = SharesView.when(share.expiresAt());
        window.await("the share drawn in the Shares tab", () -> cell("#shares", "proof-0042.jpg").tryQuery().isPresent()
                && cell("#shares", expires).tryQuery().isPresent());
        window.clickOn(cell("#shares", "proof-0042.jpg").<Node>query());
        // A listing that lands now (the tab lists whenever shown) leaves the person's selection alone.
        window.clickOn("#shares-refresh");
        window.await("the listing landed", () -> !main.browser().shares().loadingProperty().get());
        assertThat(WindowDriver.onFx(() -> ((TableView<?>) window.lookup("#shares").query()).getSelectionModel().getSelectedItem()))
                .as("the row still selected after the listing").isNotNull();
        WindowDriver.onFx(() -> Clipboard.getSystemClipboard().clear());
        window.clickOn("#shares-copy");
        assertThat(WindowDriver.onFx(() -> url.equals(Clipboard.getSystemClipboard().getString())))
                .as("the tab's Copy link copies the same link").isTrue();

        window.clickOn("#shares-revoke");
        Button cancel = dialogButton("Cancel");
        assertThat(cancel.isDefaultButton()).as("Enter revokes nothing").isTrue();
        window.clickOn(cancel);
        assertThat(get(url).status()).as("Cancel keeps the link working").isEqualTo(200);
        window.clickOn("#shares-revoke");
        window.clickOn(dialogButton("Revoke"));
        window.await("the row gone", () -> main.browser().shares().shares().isEmpty() && cell("#shares", "proof-0042.jpg").tryQuery().isEmpty());
        assertThat(engine().shares().list()).isEmpty();
        assertThat(get(url).status()).as("the revoked link").isEqualTo(410);
    }

    @Test
    void aFolderRowSharesTheFolderAndRefreshShowsALinkMadeElsewhere() throws Exception {
        Path shoot = Files.createDirectories(dir.resolve("up/shoot/raw"));
        DesktopWindowTest.randomFile(shoot.getParent(), "cover.jpg", 120_000, 72);
        DesktopWindowTest.randomFile(shoot, "IMG_0007.CR3", 300_000, 73);
        Path loose = DesktopWindowTest.randomFile(dir.resolve("up"), "notes.txt", 2_000, 74);
        openWith(shoot.getParent(), loose);

        selectInFiles("shoot", "notes.txt");
        assertThat(window.<Button>node("#share").isDisabled()).as("Share… is for exactly one file or folder").isTrue();
        selectInFiles("shoot");
        assertThat(window.<Button>node("#share").isDisabled()).isFalse();
        String url = createLink("30 days");
        Share share = listed(url);
        assertThat(share.folder()).isTrue();
        assertThat(share.target()).isEqualTo(main.session().account().home() + "shoot/");
        assertThat(share.expiresAt()).isAfter(Instant.now().plus(Duration.ofDays(29)));
        Page page = get(url);
        assertThat(page.status()).isEqualTo(200);
        // Checked without printing the page: its download links carry the link's secret.
        assertThat(page.body().contains("cover.jpg") && page.body().contains("raw/IMG_0007.CR3"))
                .as("the page lists the folder's files, by their paths in it").isTrue();
        assertThat(page.body().contains("notes.txt")).as("a file beside the folder is not on its page").isFalse();
        window.clickOn(dialogButton("Close"));

        // Made from the command line, say: the tab shows it after Refresh.
        Share other = engine().shares().create(main.session().account().home() + "notes.txt", Duration.ofDays(1));
        window.clickOn("#shares-tab .tab-label");
        window.await("the folder's share drawn", () -> cell("#shares", "shoot").tryQuery().isPresent());
        window.clickOn("#shares-refresh");
        window.await("the other share drawn", () -> cell("#shares", "notes.txt").tryQuery().isPresent());
        assertThat(WindowDriver.onFx(() -> main.browser().shares().shares().stream().map(Share::id).toList()))
                .as("soonest to expire first").containsExactly(other.id(), share.id());
    }

    @Test
    void aRefusalShowsTheServicesWordsInTheDialogAndNoLink() throws Exception {
        Path gone = DesktopWindowTest.randomFile(dir, "gone.jpg", 10_000, 75);
        openWith(gone);
        selectInFiles("gone.jpg");
        // Deleted behind the window's back: the row is still listed, the service no longer has the file.
        engine().files().delete(List.of(main.session().account().home() + "gone.jpg"), Instant.now());

        window.clickOn("#share");
        window.clickOn(dialogButton("Create link"));
        window.await("the refusal", () -> shown(window.node("#share-error")));
        String words = window.<Label>node("#share-error").getText();
        assertThat(words).contains("gone.jpg").doesNotContain("http", "Exception", "\tat ");
        assertThat(shown(window.node("#share-url"))).as("no link").isFalse();
        assertThat(dialogButton("Create link").isDisabled()).as("another try allowed").isFalse();
        assertThat(engine().shares().list()).isEmpty();
    }

    @Test
    void filesDroppedWhileTheSharesTabIsShownTurnTheWindowToTheQueue() throws Exception {
        Path photo = DesktopWindowTest.randomFile(dir, "IMG_0100.jpg", 50_000, 76);
        openWith();
        javafx.scene.control.TabPane tabs = window.node(".tab-pane");
        // Straight from the queue to Shares: the queue's page must still count as turned to when files arrive.
        window.clickOn("#shares-tab .tab-label");
        window.await("the Shares tab shown", () -> "shares-tab".equals(tabs.getSelectionModel().getSelectedItem().getId()));
        assertThat(window.dropFiles(window.node("#shares"), List.of(photo))).isTrue();
        window.await("the queue shown", () -> "Transfers".equals(tabs.getSelectionModel().getSelectedItem().getText()));
        window.awaitRows(1, s -> s == TransferState.DONE);
    }
}
