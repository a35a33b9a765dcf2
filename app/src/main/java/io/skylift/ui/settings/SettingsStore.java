package io.skylift.ui.settings;

import io.skylift.files.PrivateFiles;
import io.skylift.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads and writes {@code settings.json} (owner-only: it may hold a sign-in token) in the data folder. */
public final class SettingsStore {

    private static final Logger LOG = LoggerFactory.getLogger(SettingsStore.class);

    private final Path file;

    public SettingsStore(Path dataDir) {
        this.file = dataDir.resolve("settings.json");
    }

    public AppSettings load() {
        if (!Files.exists(file)) {
            return AppSettings.defaults();
        }
        try {
            AppSettings read = Json.STORED.readValue(file.toFile(), AppSettings.class);
            AppSettings d = AppSettings.defaults();
            // Fill what an older file did not have.
            return new AppSettings(read.connection(), read.apiUrl(), read.token(),
                    read.connections() > 0 ? read.connections() : d.connections(), Math.max(0, read.partSizeMiB()),
                    Math.max(0, read.bandwidthMBps()), read.downloadFolder() != null ? read.downloadFolder() : d.downloadFolder(),
                    read.theme() != null ? read.theme() : d.theme(), read.direct());
        } catch (IOException e) {
            LOG.warn("Ignoring unreadable settings {}: {}", file, e.getMessage());
            return AppSettings.defaults();
        }
    }

    public void save(AppSettings settings) {
        try {
            PrivateFiles.createDirectories(file.getParent());
            PrivateFiles.writeAtomically(file, Json.STORED.writeValueAsBytes(settings));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save settings to " + file, e);
        }
    }
}
