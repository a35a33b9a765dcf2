package io.skylift.signin;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;

/** Opens a web address for the person to sign in: the system's own browser (RFC 8252), never an embedded one. */
@FunctionalInterface
public interface Browser {

    void open(URI address) throws IOException;

    /** The desktop's default browser. */
    static Browser system() {
        return address -> {
            if (java.awt.Desktop.isDesktopSupported() && java.awt.Desktop.getDesktop().isSupported(java.awt.Desktop.Action.BROWSE)) {
                java.awt.Desktop.getDesktop().browse(address);
                return;
            }
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            String[] command = os.contains("mac") ? new String[] {"open", address.toString()}
                    : os.contains("win") ? new String[] {"rundll32", "url.dll,FileProtocolHandler", address.toString()}
                    : new String[] {"xdg-open", address.toString()};
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        };
    }
}
