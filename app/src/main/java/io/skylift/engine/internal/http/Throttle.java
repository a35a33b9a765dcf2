package io.skylift.engine.internal.http;

/**
 * The bandwidth limit all transfers share: a token bucket refilled at the limit's rate, holding at
 * most a quarter second of tokens so a pause cannot be made up with a burst. Workers block here
 * (they are the ones to slow down); 0 means no limit. Thread-safe.
 */
public final class Throttle {

    // Guards the bucket; a worker sleeps outside it.
    private final Object lock = new Object();
    private long bytesPerSecond;
    private double tokens;
    private long lastNanos = System.nanoTime();

    public void limit(long bytesPerSecond) {
        synchronized (lock) {
            this.bytesPerSecond = Math.max(0, bytesPerSecond);
            this.tokens = 0;
            this.lastNanos = System.nanoTime();
        }
    }

    public long limit() {
        synchronized (lock) {
            return bytesPerSecond;
        }
    }

    /** Waits until {@code bytes} may pass. */
    public void acquire(long bytes) throws java.io.InterruptedIOException {
        long waitNanos;
        synchronized (lock) {
            if (bytesPerSecond == 0) {
                return;
            }
            long now = System.nanoTime();
            tokens = Math.min(bytesPerSecond / 4.0, tokens + (now - lastNanos) * bytesPerSecond / 1e9);
            lastNanos = now;
            tokens -= bytes;
            waitNanos = tokens >= 0 ? 0 : (long) (-tokens * 1e9 / bytesPerSecond);
        }
        if (waitNanos > 0) {
            try {
                Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while throttled");
            }
        }
    }
}
