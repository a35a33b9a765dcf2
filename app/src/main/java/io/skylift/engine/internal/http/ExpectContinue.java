package io.skylift.engine.internal.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;

/**
 * Whether a PUT asks storage first ({@code Expect: 100-continue}), learned per host from the PUTs
 * that went there. Asking makes a refusal (an expired or badly signed URL) cost no body, but costs a
 * round trip, and some proxies never relay the interim answer, so a client that waits for it waits
 * until its read timeout, every time.
 *
 * <ul>
 *   <li>Until one PUT to a host has been stored, and again after a refusal, a PUT asks first: that
 *       is where a refusal is likely. Once one was stored, the URLs signed alike work, and later
 *       PUTs send at once.</li>
 *   <li>The first asking PUTs to a host wait for the interim answer at most {@link #PROBE_WAIT}, as
 *       curl and botocore do. One that hears nothing in that time shows that the path swallows the
 *       answer: it is sent again without asking, and no PUT to that host asks again. One that hears it
 *       shows the path relays it, and later asking PUTs wait for it as long as for any answer. Only
 *       the wait for the interim answer is cut short: once the body goes, storage's final answer may
 *       take as long as any read (on a long link a large part's answer comes seconds after its last
 *       byte leaves), so no part is sent twice for being slow.</li>
 * </ul>
 *
 * Thread-safe: many workers send at once.
 */
public final class ExpectContinue {

    /** How long a PUT waits for {@code 100 Continue} before the path is taken to swallow it. */
    public static final Duration PROBE_WAIT = Duration.ofSeconds(1);

    /** How the next PUT goes. */
    public enum Ask {
        /** Sends the body at once. */
        NO,
        /** Asks, waiting at most {@link #PROBE_WAIT} for the answer. */
        PROBE,
        /** Asks, waiting as long as for any answer (the path relays it). */
        YES
    }

    private enum Path { UNKNOWN, RELAYS, SWALLOWS }

    private record Host(Path path, boolean warm) {}

    // Bounded by the storage hosts one engine talks to: one, or a handful for a route that redirects.
    private final Map<String, Host> hosts = new ConcurrentHashMap<>();

    public Ask next(HttpUrl url) {
        Host host = hosts.getOrDefault(key(url), new Host(Path.UNKNOWN, false));
        if (host.path() == Path.SWALLOWS || host.warm()) {
            return Ask.NO;
        }
        return host.path() == Path.RELAYS ? Ask.YES : Ask.PROBE;
    }

    /** A PUT to {@code url} was stored. */
    public void stored(HttpUrl url, Ask asked) {
        hosts.compute(key(url), (k, was) -> new Host(learned(was, asked), true));
    }

    /** Storage refused a PUT: the next one asks first again. */
    public void refused(HttpUrl url, Ask asked, boolean bodySent) {
        hosts.compute(key(url), (k, was) -> new Host(bodySent ? learned(was, asked) : pathOf(was), false));
    }

    /** An asking PUT heard no interim answer in {@link #PROBE_WAIT} and sent no body: the path swallows it. */
    public void unanswered(HttpUrl url) {
        hosts.compute(key(url), (k, was) -> new Host(Path.SWALLOWS, was != null && was.warm()));
    }

    // A body that went after asking shows the interim answer came through.
    private static Path learned(Host was, Ask asked) {
        if (asked != Ask.NO) {
            return Path.RELAYS;
        }
        return pathOf(was);
    }

    private static Path pathOf(Host was) {
        return was == null ? Path.UNKNOWN : was.path();
    }

    private static String key(HttpUrl url) {
        return url.host() + ":" + url.port();
    }
}
