package io.skylift.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Sizes as people write them ("64MiB", "1.5GB", "1048576") and as the command line prints them. */
final class ByteSize implements ITypeConverter<Long> {

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)(i?)B?", Pattern.CASE_INSENSITIVE);
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    @Override
    public Long convert(String value) {
        Matcher m = SIZE.matcher(value.trim());
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a size; write e.g. 64MiB, 1GiB or a number of bytes");
        }
        int power = m.group(2).isEmpty() ? 0 : "KMGT".indexOf(m.group(2).toUpperCase(Locale.ROOT)) + 1;
        double base = m.group(3).isEmpty() && power > 0 ? 1000 : 1024;
        double bytes = Double.parseDouble(m.group(1)) * Math.pow(base, power);
        if (bytes >= Long.MAX_VALUE) {
            throw new TypeConversionException("'" + value + "' is too large");
        }
        return Math.round(bytes);
    }

    static String format(long bytes) {
        double value = bytes;
        int unit = 0;
        // 1023.5 and up would print as "1024": show it in the next unit instead.
        while (value >= 1023.5 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, value < 10 ? "%.2f %s" : value < 100 ? "%.1f %s" : "%.0f %s", value, UNITS[unit]);
    }

    static String rate(long bytesPerSecond) {
        return String.format(Locale.ROOT, "%.1f MB/s", bytesPerSecond / 1e6);
    }
}
