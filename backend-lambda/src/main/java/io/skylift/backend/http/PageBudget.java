package io.skylift.backend.http;

import java.nio.charset.StandardCharsets;

/**
 * Keeps a list response under {@link #MAX_BYTES} whatever its items weigh: a page ends early when
 * the next item would not fit. Every response stays far below Lambda's 6 MB, by design rather
 * than by luck with key lengths. Not thread-safe: one per response.
 */
public final class PageBudget {

    /** Under the 1 MB the design promises, with room for the envelope around the items. */
    public static final int MAX_BYTES = 900_000;

    private int used;

    /** Counts {@code item} against the budget; false when it would not fit (and is not counted). */
    public boolean admit(Object item) {
        int size = Json.write(item).getBytes(StandardCharsets.UTF_8).length + 1;
        if (used + size > MAX_BYTES) {
            return false;
        }
        used += size;
        return true;
    }
}
