package io.skylift.engine.internal.upload;

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
import java.util.function.Supplier;

/**
 * Part URLs of one upload, signed just in time: when a part needs a URL, the parts about to be
 * sent are checksummed and signed with it in one call, up to {@code batchLimit}. URLs near expiry
 * are signed again; none is ever written anywhere. Thread-safe (one signing call at a time).
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
    private final Map<Integer, Signed> urls = new HashMap<>();

    private record Signed(Wire.SignedUrl url, Instant renewAfter) {}

    UrlBook(BackendClient api, String uploadId, Checksums checksums, Supplier<List<Integer>> upcoming, int batchLimit, Clock clock) {
        this.api = api;
        this.uploadId = uploadId;
        this.checksums = checksums;
        this.upcoming = upcoming;
        this.batchLimit = batchLimit;
        this.clock = clock;
    }

    synchronized Wire.SignedUrl urlFor(int part) throws IOException {
        Signed known = urls.get(part);
        if (fresh(known)) {
            return known.url();
        }
        List<Integer> batch = new ArrayList<>(List.of(part));
        for (int next : upcoming.get()) {
            if (batch.size() >= batchLimit) {
                break;
            }
            if (next != part && !fresh(urls.get(next))) {
                batch.add(next);
            }
        }
        List<Wire.PartRef> refs = new ArrayList<>(batch.size());
        for (int n : batch) {
            refs.add(new Wire.PartRef(n, checksums.of(n)));
        }
        Instant signedAt = clock.instant();
        for (Wire.SignedPart signed : api.signParts(uploadId, refs)) {
            // Renew before the end of life, with room for the slowest part to start: a third of a
            // short lifetime, at most 30 s of a long one.
            Duration life = Duration.between(signedAt, signed.expiresAt());
            Duration margin = life.dividedBy(3).compareTo(Duration.ofSeconds(30)) < 0 ? life.dividedBy(3) : Duration.ofSeconds(30);
            urls.put(signed.partNumber(), new Signed(signed.signed(), signed.expiresAt().minus(margin)));
        }
        Signed url = urls.get(part);
        if (url == null) {
            throw new UncheckedIOException(new IOException("The API signed a batch without part " + part));
        }
        return url.url();
    }

    /** The URL was refused as expired: sign again next time. */
    synchronized void invalidate(int part) {
        urls.remove(part);
    }

    /** The part is sent: its URL is never needed again. */
    synchronized void forget(int part) {
        urls.remove(part);
    }

    private boolean fresh(Signed url) {
        return url != null && clock.instant().isBefore(url.renewAfter());
    }
}
