package io.skylift.ui.settings;

import java.nio.file.Path;

/**
 * What the window remembers between runs.
 *
 * @param connection     "sandbox", "api", or null before the first connection
 * @param token          the sign-in token for "api" (kept in an owner-only file)
 * @param partSizeMiB    0 for the service's plan
 * @param bandwidthMBps  0 for no limit
 * @param theme          "system", "light" or "dark"
 */
public record AppSettings(String connection, String apiUrl, String token, int connections, int partSizeMiB,
                          int bandwidthMBps, String downloadFolder, String theme) {

    public static AppSettings defaults() {
        String downloads = Path.of(System.getProperty("user.home"), "Downloads").toString();
        return new AppSettings(null, null, null, 8, 0, 0, downloads, "system");
    }

    public AppSettings withConnection(String kind, String url, String bearer) {
        return new AppSettings(kind, url, bearer, connections, partSizeMiB, bandwidthMBps, downloadFolder, theme);
    }

    public AppSettings withTuning(int connections, int partSizeMiB, int bandwidthMBps, String downloadFolder, String theme) {
        return new AppSettings(connection, apiUrl, token, connections, partSizeMiB, bandwidthMBps, downloadFolder, theme);
    }

    @Override
    public String toString() {
        return "AppSettings[connection=" + connection + ", api=" + apiUrl + ", token=<hidden>]";
    }
}
