package io.skylift.ui.settings;

import io.skylift.engine.DirectTarget;
import java.nio.file.Path;

/**
 * What the window remembers between runs.
 *
 * @param connection     "sandbox", "api", "direct", or null before the first connection
 * @param connections    the most connections carrying file bytes at once (the engine finds how many pay)
 * @param token          the sign-in token for "api" (kept in an owner-only file)
 * @param partSizeMiB    0 for the service's plan
 * @param bandwidthMBps  0 for no limit
 * @param theme          "system", "light" or "dark"
 * @param direct         the bucket last reached with AWS credentials (never the credentials), or null
 */
public record AppSettings(String connection, String apiUrl, String token, int connections, int partSizeMiB,
                          int bandwidthMBps, String downloadFolder, String theme, DirectTarget direct) {

    public static AppSettings defaults() {
        String downloads = Path.of(System.getProperty("user.home"), "Downloads").toString();
        return new AppSettings(null, null, null, io.skylift.engine.EngineSettings.DEFAULT_CONCURRENCY, 0, 0, downloads, "system", null);
    }

    public AppSettings withConnection(String kind, String url, String bearer) {
        return new AppSettings(kind, url, bearer, connections, partSizeMiB, bandwidthMBps, downloadFolder, theme, direct);
    }

    /** Connected straight to a bucket: remembered so the next start connects there again. */
    public AppSettings withDirect(DirectTarget target) {
        return new AppSettings("direct", apiUrl, null, connections, partSizeMiB, bandwidthMBps, downloadFolder, theme, target);
    }

    public AppSettings withTuning(int connections, int partSizeMiB, int bandwidthMBps, String downloadFolder, String theme) {
        return new AppSettings(connection, apiUrl, token, connections, partSizeMiB, bandwidthMBps, downloadFolder, theme, direct);
    }

    @Override
    public String toString() {
        return "AppSettings[connection=" + connection + ", api=" + apiUrl + ", token=<hidden>, direct=" + direct + "]";
    }
}
