package io.skylift.ui;

import javafx.application.Application;

/**
 * Starts the desktop window. A plain class rather than the {@code Application} itself, so it can be
 * launched from the classpath (the command line's {@code gui}, or no command at all).
 */
public final class Gui {

    private Gui() {}

    /** Blocks until the window closes. */
    public static void launch(boolean sandbox) {
        Application.launch(DesktopApp.class, sandbox ? new String[] {DesktopApp.SANDBOX_FLAG} : new String[0]);
    }
}
