package io.skylift.ui;

/**
 * How large a download may be before the window shows its totals and asks: over {@code files} files
 * or {@code bytes} bytes. Immutable.
 *
 * <pre>{@code
 * LargeSelection.DEFAULT.exceededBy(1_204, 38_000_000_000L);   // true: over 1,000 files
 * }</pre>
 */
public record LargeSelection(long files, long bytes) {

    /** Over 1,000 files or 50 GB: a folder a person may not have meant to fetch whole. */
    public static final LargeSelection DEFAULT = new LargeSelection(1_000, 50_000_000_000L);

    public LargeSelection {
        if (files < 0 || bytes < 0) {
            throw new IllegalArgumentException("a threshold cannot be negative");
        }
    }

    public boolean exceededBy(long fileCount, long byteCount) {
        return fileCount > files || byteCount > bytes;
    }
}
