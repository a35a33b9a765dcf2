package io.skylift.ui;

import static org.assertj.core.api.Assertions.assertThat;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.application.ColorScheme;
import javafx.application.Platform;
import javafx.beans.property.SimpleObjectProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;

/** The window follows the desktop between light and dark while "system" is chosen, and only then. */
class ThemeTest {

    static final String DARK = new PrimerDark().getUserAgentStylesheet();
    static final String LIGHT = new PrimerLight().getUserAgentStylesheet();

    final SimpleObjectProperty<ColorScheme> desktop = new SimpleObjectProperty<>(ColorScheme.LIGHT);

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @AfterAll
    static void platformAgain() {
        WindowDriver.onFx(() -> Theme.follow(Platform.getPreferences().colorSchemeProperty()));
    }

    @Test
    void withTheSystemChosenTheWindowSwitchesWhenTheDesktopDoes() {
        WindowDriver.onFx(() -> {
            Theme.follow(desktop);
            Theme.apply("system");
            assertThat(Application.getUserAgentStylesheet()).isEqualTo(LIGHT);

            desktop.set(ColorScheme.DARK);
            assertThat(Application.getUserAgentStylesheet()).isEqualTo(DARK);

            desktop.set(ColorScheme.LIGHT);
            assertThat(Application.getUserAgentStylesheet()).isEqualTo(LIGHT);
        });
    }

    @Test
    void aChosenThemeStaysWhateverTheDesktopDoes() {
        WindowDriver.onFx(() -> {
            Theme.follow(desktop);
            Theme.apply("light");
            desktop.set(ColorScheme.DARK);
            assertThat(Application.getUserAgentStylesheet()).isEqualTo(LIGHT);

            Theme.apply("dark");
            desktop.set(ColorScheme.LIGHT);
            assertThat(Application.getUserAgentStylesheet()).isEqualTo(DARK);
            Theme.apply("system");
        });
    }
}
