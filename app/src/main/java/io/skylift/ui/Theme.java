package io.skylift.ui;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.application.ColorScheme;
import javafx.application.Platform;

/** Light or dark, following the operating system unless the person chose. */
public final class Theme {

    private Theme() {}

    /** @param choice "light", "dark" or "system" */
    public static void apply(String choice) {
        boolean dark = switch (choice == null ? "system" : choice) {
            case "dark" -> true;
            case "light" -> false;
            default -> Platform.getPreferences().getColorScheme() == ColorScheme.DARK;
        };
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
    }
}
