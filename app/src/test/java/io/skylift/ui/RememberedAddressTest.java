package io.skylift.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.ui.settings.AppSettings;
import io.skylift.ui.settings.SettingsStore;
import java.nio.file.Path;
import javafx.scene.control.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A window that remembers a browser sign-in to an address now refused (plain http to another
 * computer, accepted by an earlier release) still opens, on the sign-in screen, saying why.
 */
class RememberedAddressTest {

    @TempDir
    Path dir;
    WindowDriver window;

    @AfterEach
    void close() throws Exception {
        if (window != null) {
            window.close();
        }
    }

    @Test
    void aRememberedPlainHttpAddressOfAnotherComputerOpensTheSignInScreenWithTheReason() throws Exception {
        Path data = dir.resolve("data");
        new SettingsStore(data).save(AppSettings.defaults().withConnection("api", "http://skylift.example.com", null));

        window = new WindowDriver(data).open();

        window.await("the refusal on the sign-in screen", () -> window.<Label>node("#connect-error").isVisible());
        assertThat(window.<Label>node("#connect-error").getText()).contains("unencrypted");
        assertThat(window.stage().getTitle()).isEqualTo("Skylift");
    }
}
