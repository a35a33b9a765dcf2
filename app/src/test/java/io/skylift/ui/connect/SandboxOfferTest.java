package io.skylift.ui.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.sandbox.SandboxPresence;
import io.skylift.signin.Browser;
import io.skylift.ui.Background;
import io.skylift.ui.settings.AppSettings;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.scene.control.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** The sign-in screen offers the local sandbox only where this build carries one (not in the installers). */
class SandboxOfferTest extends FxRobot {

    @TempDir
    Path dir;
    private final Background background = new Background();

    @AfterEach
    void close() throws Exception {
        FxToolkit.cleanupStages();
        background.close();
    }

    @Test
    void aBuildWithoutTheSandboxShowsNoSandboxButtonAndSaysWhyWhenAsked() throws Exception {
        ConnectViewModel model = show(false);
        assertThat(lookup("#try-sandbox").<Node>query().isVisible()).isFalse();
        assertThat(lookup("#api-url").<Node>query().isVisible()).isTrue();

        interact(model::trySandbox);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(lookup("#connect-error").<Label>query().getText()).isEqualTo(SandboxPresence.MISSING);
        assertThat(model.busyProperty().get()).isFalse();
    }

    @Test
    void aBuildWithTheSandboxOffersIt() throws Exception {
        show(true);
        assertThat(lookup("#try-sandbox").<Node>query().isVisible()).isTrue();
    }

    private ConnectViewModel show(boolean sandboxOffered) throws Exception {
        FxToolkit.registerPrimaryStage();
        ConnectViewModel model = new ConnectViewModel(background, dir, AppSettings.defaults(), Browser.system(), sandboxOffered,
                session -> { throw new AssertionError("nothing signs in here"); });
        FxToolkit.setupSceneRoot(() -> new ConnectView(model));
        FxToolkit.showStage();
        WaitForAsyncUtils.waitForFxEvents();
        return model;
    }
}
