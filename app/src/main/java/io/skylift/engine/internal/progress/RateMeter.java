package io.skylift.engine.internal.progress;

/**
 * Bytes per second over roughly the last {@value #WINDOW_MILLIS} ms: recent enough to follow a
 * changing network, long enough not to jitter. A ring of one-second samples; not thread-safe
 * (the progress publisher owns it).
 */
final class RateMeter {

    static final long WINDOW_MILLIS = 5_000;
    private static final int SLOTS = 6;

    private final long[] times = new long[SLOTS];
    private final long[] bytes = new long[SLOTS];
    private int count;
    private int head;

    /** Records that {@code total} bytes were done at {@code nowMillis}; samples at most once a second. */
    void sample(long nowMillis, long total) {
        if (count > 0 && nowMillis - times[head] < 1_000) {
            return;
        }
        head = (head + 1) % SLOTS;
        times[head] = nowMillis;
        bytes[head] = total;
        count = Math.min(count + 1, SLOTS);
    }

    long bytesPerSecond(long nowMillis, long total) {
        if (count == 0) {
            return 0;
        }
        int oldest = (head - count + 1 + SLOTS) % SLOTS;
        long elapsed = nowMillis - times[oldest];
        if (elapsed < 500) {
            return 0;
        }
        return Math.max(0, (total - bytes[oldest]) * 1000 / elapsed);
    }

    void reset() {
        count = 0;
    }
}
