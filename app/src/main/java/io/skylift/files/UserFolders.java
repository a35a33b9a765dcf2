package io.skylift.files;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where Skylift keeps its per-user data (journals, settings), following each desktop's convention:
 * Linux {@code $XDG_DATA_HOME/skylift} (default {@code ~/.local/share/skylift}), macOS
 * {@code ~/Library/Application Support/Skylift}, Windows {@code %LOCALAPPDATA%\Skylift}.
 * {@code SKYLIFT_DATA_DIR} (or the system property {@code skylift.dataDir}) overrides all of them.
 */
public final class UserFolders {

    private UserFolders() {}

    public static Path data() {
        String property = System.getProperty("skylift.dataDir");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        return data(System.getenv(), System.getProperty("os.name", ""), Path.of(System.getProperty("user.home")));
    }

    static Path data(Map<String, String> env, String osName, Path home) {
        String override = env.get("SKYLIFT_DATA_DIR");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            String local = env.get("LOCALAPPDATA");
            return (local == null || local.isBlank() ? home.resolve("AppData").resolve("Local") : Path.of(local)).resolve("Skylift");
        }
        if (os.contains("mac")) {
            return home.resolve("Library").resolve("Application Support").resolve("Skylift");
        }
        String xdg = env.get("XDG_DATA_HOME");
        // The XDG spec says a relative value is invalid and must be ignored.
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".local").resolve("share");
        return base.resolve("skylift");
    }
}
