package io.skylift.ui;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.application.ColorScheme;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;

/**
 * Light or dark, following the operating system unless the person chose: the stylesheet is
 * global to the application, so this is too. While the choice is "system", switching the desktop
 * between light and dark switches the open window with it. JavaFX thread only.
 */
public final class Theme {

    private static final ChangeListener<ColorScheme> FOLLOW = (seen, was, now) -> show();
    private static ObservableValue<ColorScheme> system;
    private static String chosen = "system";

    private Theme() {}

    /** @param choice "light", "dark" or "system" */
    public static void apply(String choice) {
        chosen = choice == null ? "system" : choice;
        if (system == null) {
            follow(Platform.getPreferences().colorSchemeProperty());
        }
        show();
    }

    /** Where the system's light or dark setting comes from: the platform's, or a test's own. */
    static void follow(ObservableValue<ColorScheme> source) {
        if (system != null) {
            system.removeListener(FOLLOW);
        }
        system = source;
        source.addListener(FOLLOW);
        show();
    }

    static boolean dark() {
        return switch (chosen) {
            case "dark" -> true;
            case "light" -> false;
            default -> system != null && system.getValue() == ColorScheme.DARK;
        };
    }

    private static void show() {
        Application.setUserAgentStylesheet(dark() ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
    }
}
