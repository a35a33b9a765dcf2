package io.skylift.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * How long a share link lasts, as people write it on the command line: {@code 30m}, {@code 12h},
 * {@code 7d}, {@code 2w}; and the moment it ends as the command line prints it. The longest a link
 * may last is the service's to say (30 days unless the deployment says otherwise), so only the
 * shape is checked here. Stateless and thread-safe.
 *
 * <pre>{@code
 * @Option(names = "--expires", converter = Expiry.class) Duration expires;
 * }</pre>
 */
final class Expiry implements ITypeConverter<Duration> {

    // Lower-case only: "30M" could be read as thirty months. Six digits hold any expiry a service allows, and overflow none.
    private static final Pattern SHAPE = Pattern.compile("(\\d{1,6})([mhdw])");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    @Override
    public Duration convert(String value) {
        Matcher m = SHAPE.matcher(value.strip());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new TypeConversionException("'" + value + "' is not an expiry; write a number and a unit: 30m (minutes),"
                    + " 12h (hours), 7d (days) or 2w (weeks)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }

    /** The moment in this computer's time zone, as {@code skylift ls} prints times: {@code 2026-12-09 08:00}. */
    static String shown(Instant at) {
        return WHEN.format(at);
    }
}
