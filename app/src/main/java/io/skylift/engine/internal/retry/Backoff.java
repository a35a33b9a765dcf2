package io.skylift.engine.internal.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: the n-th retry waits a random time between zero and
 * {@code min(cap, base * 2^(n-1))}, so many clients retrying at once spread out instead of
 * hammering a recovering service together.
 *
 * @param maxAttempts attempts in all, the first included; the bound on every retry loop
 */
public record Backoff(Duration base, Duration cap, int maxAttempts) {

    /** For part transfers: about two minutes of trying before a transfer pauses. */
    public static final Backoff PARTS = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 8);
    /** For backend calls: they are small, so give up sooner. */
    public static final Backoff API = new Backoff(Duration.ofMillis(300), Duration.ofSeconds(10), 5);

    public Backoff {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** The wait before attempt {@code attempt + 1}, after {@code attempt} attempts failed (attempt >= 1). */
    public Duration delayAfter(int attempt) {
        long ceiling = base.toMillis() << Math.min(Math.max(0, attempt - 1), 20);
        long bounded = Math.min(cap.toMillis(), ceiling);
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(bounded + 1));
    }

    public boolean exhausted(int attempts) {
        return attempts >= maxAttempts;
    }
}
