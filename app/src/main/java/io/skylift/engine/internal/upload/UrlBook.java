package io.skylift.engine.internal.upload;

import io.skylift.engine.internal.api.ApiCallException;
import io.skylift.engine.internal.api.BackendClient;
import io.skylift.engine.internal.api.Wire;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Part URLs of one upload, signed just in time: when a part needs a URL, the parts about to be
 * sent are checksummed and signed with it in one call, up to {@code batchLimit}. URLs near expiry
 * are signed again; none is ever written anywhere.
 *
 * <p>Thread-safe. One batch is signed at a time; a job that needs a URL while a batch is being made
 * does not sign the same parts twice, nor hold its worker waiting: it is told when that batch is done. The lock only picks the batch
 * and files its URLs: the checksums (disk reads) and the call run outside it. Each call is made once
 * ({@link BackendClient#oneAttempt()}); a failed one fails every worker waiting for it, and
 * {@link #failedCalls()} says how many failed in a row, for the retry policy.
 *
 * <pre>{@code
 * var urls = new UrlBook(api.oneAttempt(), uploadId, this::checksum, () -> pending.stream().limit(16).toList(), 16, clock);
 * Wire.SignedUrl url = urls.urlFor(3, failure -> resubmitOrFail(failure)); // null: come back when told
 * }</pre>
 */
final class UrlBook {

    /** Checksums a part (reads it from disk). */
    interface Checksums {
        String of(int part) throws IOException;
    }

    private final BackendClient api;
    private final String uploadId;
    private final Checksums checksums;
    private final Supplier<List<Integer>> upcoming;
    private final int batchLimit;
    private final Clock clock;
    private final Object lock = new Object();
    private final Map<Integer, Signed> urls = new HashMap<>(); // guarded by lock
    private CompletableFuture<Void> signing; // the batch being made, guarded by lock
    private int failedCalls; // in a row, guarded by lock

    private record Signed(Wire.SignedUrl url, Instant renewAfter) {}

    UrlBook(BackendClient api, String uploadId, Checksums checksums, Supplier<List<Integer>> upcoming, int batchLimit, Clock clock) {
        this.api = api;
        this.uploadId = uploadId;
        this.checksums = checksums;
        this.upcoming = upcoming;
        this.batchLimit = batchLimit;
        this.clock = clock;
    }

    /**
     * The part's URL, signing a batch with it if needed; or null when another job is signing a
     * batch right now, and then {@code whenDone} hears when it ends (null, or why it failed) so the
     * job can come back instead of holding a worker while it waits.
     */
    Wire.SignedUrl urlFor(int part, Consumer<Throwable> whenDone) throws IOException {
        while (true) {
            CompletableFuture<Void> other;
            CompletableFuture<Void> mine = null;
            List<Integer> batch = null;
            synchronized (lock) {
                Signed known = urls.get(part);
                if (fresh(known)) {
                    return known.url();
                }
                other = signing;
                if (other == null) {
                    batch = batchWith(part);
                    mine = new CompletableFuture<>();
                    signing = mine;
                }
            }
            if (mine == null) {
                // The job looks again afterwards: that batch may not have held this part.
                other.whenComplete((done, failure) -> whenDone.accept(failure == null ? null : unwrap(failure)));
                return null;
            }
            try {
                sign(batch);
            } catch (IOException | RuntimeException e) {
                signed(mine).completeExceptionally(e);
                throw e;
            }
            signed(mine).complete(null);
        }
    }

    // Cleared before the waiting jobs hear of it: one coming straight back must not find it still running.
    private CompletableFuture<Void> signed(CompletableFuture<Void> batch) {
        synchronized (lock) {
            signing = null;
        }
        return batch;
    }

    // Under the lock: which parts to sign now.
    private List<Integer> batchWith(int part) {
        List<Integer> batch = new ArrayList<>(List.of(part));
        for (int next : upcoming.get()) {
            if (batch.size() >= batchLimit) {
                break;
            }
            if (next != part && !fresh(urls.get(next))) {
                batch.add(next);
            }
        }
        return batch;
    }

    private void sign(List<Integer> batch) throws IOException {
        List<Wire.PartRef> refs = new ArrayList<>(batch.size());
        for (int n : batch) {
            refs.add(new Wire.PartRef(n, checksums.of(n)));
        }
        Instant signedAt = clock.instant();
        List<Wire.SignedPart> signed;
        try {
            signed = api.signParts(uploadId, refs);
        } catch (ApiCallException e) {
            synchronized (lock) {
                failedCalls++;
            }
            throw e;
        }
        synchronized (lock) {
            failedCalls = 0;
            for (Wire.SignedPart one : signed) {
                // Renew before the end of life, with room for the slowest part to start: a third of a
                // short lifetime, at most 30 s of a long one.
                Duration life = Duration.between(signedAt, one.expiresAt());
                Duration margin = life.dividedBy(3).compareTo(Duration.ofSeconds(30)) < 0 ? life.dividedBy(3) : Duration.ofSeconds(30);
                urls.put(one.partNumber(), new Signed(one.signed(), one.expiresAt().minus(margin)));
            }
            if (!urls.containsKey(batch.getFirst())) {
                throw new UncheckedIOException(new IOException("The API signed a batch without part " + batch.getFirst()));
            }
        }
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException wrapped && wrapped.getCause() != null
                ? wrapped.getCause() : failure;
    }

    /** Signing calls that failed in a row; 0 after one succeeds. */
    int failedCalls() {
        synchronized (lock) {
            return failedCalls;
        }
    }

    /** The URL was refused as expired: sign again next time. */
    void invalidate(int part) {
        synchronized (lock) {
            urls.remove(part);
        }
    }

    /** The part is sent: its URL is never needed again. */
    void forget(int part) {
        invalidate(part);
    }

    private boolean fresh(Signed url) {
        return url != null && clock.instant().isBefore(url.renewAfter());
    }
}
