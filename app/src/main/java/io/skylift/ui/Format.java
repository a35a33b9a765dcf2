package io.skylift.ui;

import java.time.Duration;
import java.util.Locale;

/** Numbers as the window shows them. */
public final class Format {

    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB"};

    private Format() {}

    /** Decimal units, as file managers on every desktop show sizes. */
    public static String bytes(long bytes) {
        double value = bytes;
        int unit = 0;
        while (value >= 999.5 && unit < UNITS.length - 1) {
            value /= 1000;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, value < 10 ? "%.1f %s" : "%.0f %s", value, UNITS[unit]);
    }

    public static String rate(long bytesPerSecond) {
        return bytes(bytesPerSecond) + "/s";
    }

    public static String duration(Duration d) {
        long s = d.toSeconds();
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%d h %02d min", s / 3600, s / 60 % 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return s + " s";
    }
}
