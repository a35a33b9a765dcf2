package io.skylift.engine.internal.download;

import io.skylift.engine.internal.api.ApiCallException;
import io.skylift.engine.internal.api.BackendClient;
import io.skylift.engine.internal.api.Wire;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The presigned GET of one download, renewed before it expires. Renewing is single-flight: one
 * worker makes the call (once, no sleeping in a worker), the others wait for its answer, and a
 * failure reaches all of them as the same {@link ApiCallException}. The lock only hands out the
 * renewal in flight; nobody holds it during the call, so a pause is never kept waiting.
 *
 * <pre>{@code
 * var link = new DownloadLink(api, key, clock);
 * link.renew(api);                       // on the flow thread, with the API's retries
 * Wire.DownloadGrant grant = link.fresh(); // on a worker
 * }</pre>
 */
final class DownloadLink {

    private final BackendClient api;
    private final String key;
    private final Clock clock;
    private final Object lock = new Object();
    private CompletableFuture<Wire.DownloadGrant> renewal; // guarded by lock
    private final AtomicInteger failedRenewals = new AtomicInteger();
    private volatile Wire.DownloadGrant grant;
    private volatile Instant renewAfter;

    DownloadLink(BackendClient api, String key, Clock clock) {
        this.api = api;
        this.key = key;
        this.clock = clock;
    }

    /** Storage refused the link as expired: the next {@link #fresh} asks for a new one. */
    void expired() {
        renewAfter = Instant.EPOCH;
    }

    /** Renewals that failed in a row; 0 after one succeeds or {@link #resetFailures}. */
    int failedRenewals() {
        return failedRenewals.get();
    }

    void resetFailures() {
        failedRenewals.set(0);
    }

    /**
     * A link that is not near its end, renewed first by this job if it is; or null when another job
     * is renewing it right now, and then {@code whenDone} hears when that ends (null, or why it
     * failed), so the job comes back instead of holding a worker while it waits.
     */
    Wire.DownloadGrant fresh(Consumer<Throwable> whenDone) {
        CompletableFuture<Wire.DownloadGrant> inFlight;
        boolean mine = false;
        synchronized (lock) {
            if (renewAfter != null && clock.instant().isBefore(renewAfter)) {
                return grant;
            }
            if (renewal == null) {
                renewal = new CompletableFuture<>();
                mine = true;
            }
            inFlight = renewal;
        }
        if (!mine) {
            inFlight.whenComplete((renewed, failure) -> whenDone.accept(
                    failure instanceof java.util.concurrent.CompletionException wrapped && wrapped.getCause() != null
                            ? wrapped.getCause() : failure));
            return null;
        }
        Wire.DownloadGrant renewed;
        try {
            renewed = renew(api.oneAttempt());
        } catch (RuntimeException e) {
            if (e instanceof ApiCallException) {
                failedRenewals.incrementAndGet();
            }
            renewed(inFlight).completeExceptionally(e);
            throw e;
        }
        failedRenewals.set(0);
        renewed(inFlight).complete(renewed);
        return renewed;
    }

    // Cleared before the waiting jobs hear of it: one coming straight back must not find it still running.
    private CompletableFuture<Wire.DownloadGrant> renewed(CompletableFuture<Wire.DownloadGrant> done) {
        synchronized (lock) {
            renewal = null;
        }
        return done;
    }

    /** Asks for a new link through {@code via} (with or without its retries). */
    Wire.DownloadGrant renew(BackendClient via) {
        Instant asked = clock.instant();
        Wire.DownloadGrant renewed = via.download(key);
        // Renew before the end of life, with room for the slowest range to start: a third of a
        // short lifetime, at most 30 s of a long one.
        Duration life = Duration.between(asked, renewed.expiresAt());
        Duration margin = life.dividedBy(3).compareTo(Duration.ofSeconds(30)) < 0 ? life.dividedBy(3) : Duration.ofSeconds(30);
        grant = renewed;
        renewAfter = renewed.expiresAt().minus(margin);
        return renewed;
    }
}
