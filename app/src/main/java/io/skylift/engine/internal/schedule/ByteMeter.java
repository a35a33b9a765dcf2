package io.skylift.engine.internal.schedule;

import java.util.concurrent.atomic.LongAdder;

/**
 * File bytes moved by every transfer together, counted as the transfers count their progress (a
 * part's body as it is flushed to the socket, a range as it is read): what the
 * {@link ConnectionGovernor} measures the connections by. Bytes of an attempt that failed count too:
 * they crossed the link. Thread-safe; adding costs no lock.
 */
public final class ByteMeter {

    private final LongAdder total = new LongAdder();

    /** Counts {@code bytes} moved; a negative count (progress taken back after a failed attempt) is ignored. */
    public void moved(long bytes) {
        if (bytes > 0) {
            total.add(bytes);
        }
    }

    public long total() {
        return total.sum();
    }
}
