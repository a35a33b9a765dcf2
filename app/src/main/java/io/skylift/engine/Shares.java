package io.skylift.engine;

import io.skylift.engine.TransferException.Reason;
import io.skylift.engine.internal.api.ApiCallException;
import io.skylift.engine.internal.api.BackendClient;
import io.skylift.engine.internal.api.Wire;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Share links, made and revoked by the Skylift API: a link opens a page in any browser listing the
 * shared file or folder, and each download on it is a fresh presigned URL, so no byte passes through
 * the service. The service decides what may be shared (what the person may read) and for how long
 * (at most its maximum, 30 days unless the deployment says otherwise).
 *
 * <p>Every call blocks and must not run on a window's event thread. A refusal keeps the service's
 * words, never a URL. On the direct route each call is refused, saying so. Thread-safe.
 *
 * <pre>{@code
 * Share link = engine.shares().create("u/me/2026-05-wedding/", Duration.ofDays(7));
 * System.out.println(link.url());
 * engine.shares().revoke(link.id());
 * }</pre>
 */
public final class Shares {

    public static final Duration DEFAULT_EXPIRY = Duration.ofDays(7);
    // The service keeps at most 1,000 live shares a person, 50 a page: a bound on the pages followed.
    private static final int MAX_PAGES = 20;

    private final BackendClient api; // null on the direct route

    Shares(BackendClient api) {
        this.api = api;
    }

    /**
     * Makes a link to a file, or to a folder when {@code keyOrFolder} ends in '/'. A folder's page shows
     * the folder as it is when opened, files added later included.
     *
     * @param expiresIn how long the link works; null for {@link #DEFAULT_EXPIRY}
     * @throws TransferException when the service refuses (the key not readable, a missing file, an
     *                           expiry beyond its maximum) or cannot be reached
     */
    public Share create(String keyOrFolder, Duration expiresIn) {
        boolean folder = keyOrFolder.endsWith("/");
        Long seconds = expiresIn == null ? null : expiresIn.toSeconds();
        return call(() -> of(service().createShare(folder ? null : keyOrFolder, folder ? keyOrFolder : null, seconds)));
    }

    /** The person's live shares, soonest to expire first. */
    public List<Share> list() {
        return call(() -> {
            List<Share> all = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                Wire.SharesPage page = service().shares(cursor);
                page.shares().forEach(s -> all.add(of(s)));
                cursor = page.nextCursor();
            } while (cursor != null && ++pages < MAX_PAGES);
            return List.copyOf(all);
        });
    }

    /**
     * Revokes a share: its page and downloads stop working at once (a download already started runs to
     * its end, as its URL was granted before).
     *
     * @throws TransferException {@link Reason#NOT_FOUND} when the person has no live share of that id
     */
    public void revoke(String id) {
        call(() -> {
            service().revokeShare(id);
            return null;
        });
    }

    // The service keeps a share's times in whole seconds (the link stops at the second), but answered a new one with the
    // clock's fraction: without this the share just made and the same share listed would differ.
    private static Share of(Wire.Share s) {
        return new Share(s.id(), s.url(), s.name(), s.folder() ? s.prefix() : s.key(), s.folder(), seconds(s.createdAt()),
                seconds(s.expiresAt()));
    }

    private static Instant seconds(Instant at) {
        return at == null ? null : at.truncatedTo(ChronoUnit.SECONDS);
    }

    private BackendClient service() {
        if (api == null) {
            throw new TransferException(Reason.BAD_REQUEST, "Share links are made by the Skylift API, and direct mode (--bucket)"
                    + " has none: connect through the API to share files.", false);
        }
        return api;
    }

    private static <T> T call(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (ApiCallException e) {
            throw e.toTransferException();
        }
    }
}
