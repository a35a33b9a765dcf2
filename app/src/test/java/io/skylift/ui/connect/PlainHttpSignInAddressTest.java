package io.skylift.ui.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skylift.ui.Background;
import io.skylift.ui.Session;
import io.skylift.ui.settings.AppSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The window's sign-in sends a pasted token, or opens a browser sign-in, to the address typed: over
 * plain http to another computer anyone on the way could take it, so the window refuses and says why.
 */
class PlainHttpSignInAddressTest extends FxRobot {

    static final String TOKEN = "sbx_p_Jk4lZ6xCv8Bn0Mq2Wr5Ty7Ui";

    @TempDir
    Path dir;
    private final Background background = new Background();

    @AfterEach
    void close() throws Exception {
        FxToolkit.cleanupStages();
        background.close();
    }

    @Test
    void anHttpAddressOfAnotherComputerIsRefusedWithWordsSayingWhy() throws Exception {
        FxToolkit.registerPrimaryStage();
        ConnectViewModel model = new ConnectViewModel(background, dir, AppSettings.defaults(), address -> {
            throw new AssertionError("no sign-in page may open for " + address);
        }, false, session -> { throw new AssertionError("nothing signs in here"); });
        FxToolkit.setupSceneRoot(() -> new ConnectView(model));
        FxToolkit.showStage();

        for (String token : new String[] {TOKEN, ""}) {
            interact(() -> {
                model.apiUrlProperty().set("http://skylift.example.com");
                model.tokenProperty().set(token);
                model.connect();
            });
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !model.busyProperty().get() && model.errorProperty().get() != null);
            WaitForAsyncUtils.waitForFxEvents();

            String shown = lookup("#connect-error").<Label>query().getText();
            assertThat(shown).as(token.isEmpty() ? "browser sign-in" : "pasted token")
                    .contains("would send your sign-in unencrypted").contains("https://skylift.example.com").doesNotContain("Jk4lZ6xCv8");
        }
    }

    @Test
    void plainHttpIsAcceptedOnlyForThisComputer() {
        for (String url : List.of("http://127.0.0.1:8787", "http://localhost:8787", "http://[::1]:8787", "http://127.1.2.3", "https://skylift.example.com")) {
            assertThat(Session.address(url)).as(url).hasToString(url);
        }
        for (String url : List.of("http://skylift.example.com", "http://10.0.0.5:8787", "http://127.0.0.1.example.com", "http://localhost.example.com")) {
            assertThatThrownBy(() -> Session.address(url)).as(url).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unencrypted");
        }
    }
}
