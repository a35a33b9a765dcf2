package io.skylift.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.sandbox.Sandbox;
import java.nio.file.Path;
import javafx.scene.control.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first screen: a wrong token gets words a person understands; the right one signs in and is remembered. */
class SignInTest {

    @TempDir
    Path dir;
    WindowDriver window;
    Sandbox organisation;

    @AfterEach
    void close() throws Exception {
        if (window != null) {
            window.close();
        }
        if (organisation != null) {
            organisation.close();
        }
    }

    @Test
    void aWrongTokenShowsAReadableErrorAndTheRightOneSignsIn() throws Exception {
        organisation = Sandbox.start(Sandbox.Settings.ephemeral());
        window = new WindowDriver(dir.resolve("data")).open();
        assertThat(window.stage().getTitle()).isEqualTo("Skylift");

        window.clickOn("#api-url").write(organisation.info().api().toString());
        window.clickOn("#token").write("not-the-token");
        window.clickOn("#connect");
        window.await("an error on the sign-in screen", () -> window.<Label>node("#connect-error").isVisible());

        String error = window.<Label>node("#connect-error").getText();
        assertThat(error).contains("could not sign you in").contains("did not accept the sign-in token");
        assertThat(error).doesNotContain("Exception").doesNotContain(organisation.info().photographerToken());

        window.doubleClickOn("#token").eraseText(13).write(organisation.info().staffToken());
        window.clickOn("#connect");
        window.awaitSignedIn();
        assertThat(window.<Label>node("#account").getText()).contains("Sam Support");
    }
}
