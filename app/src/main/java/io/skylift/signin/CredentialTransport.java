package io.skylift.signin;

import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;

/**
 * Where a sign-in secret (a bearer token, a code, a refresh token) may be sent: over https to any
 * host, over plain http only to this computer, where nobody on the network can read it. Loopback
 * means {@code localhost}, an address in 127.0.0.0/8 or {@code ::1}, as written in the address: no
 * name is looked up, so a name that merely resolves to 127.0.0.1 does not count. Stateless, so
 * thread-safe.
 *
 * <pre>{@code
 * if (!CredentialTransport.allows(api)) { ... refuse: use https ... }
 * }</pre>
 */
public final class CredentialTransport {

    /** For messages: what plain http is still allowed for. */
    public static final String LOOPBACK_ONLY = "plain http:// is only for this computer (localhost, 127.0.0.1, ::1)";

    private CredentialTransport() {}

    /** Whether secrets may travel to {@code address}: https anywhere, http to this computer only. */
    public static boolean allows(URI address) {
        String scheme = address.getScheme() == null ? "" : address.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "https" -> address.getHost() != null;
            case "http" -> isLoopback(address.getHost());
            default -> false;
        };
    }

    /** Whether {@code address} is an http or https URL with a host at all (whatever its security). */
    public static boolean isWebAddress(URI address) {
        String scheme = address.getScheme() == null ? "" : address.getScheme().toLowerCase(Locale.ROOT);
        return (scheme.equals("http") || scheme.equals("https")) && address.getHost() != null;
    }

    /** {@code address} with https instead of http, to suggest what to type instead. */
    public static String withHttps(URI address) {
        return "https" + address.toString().substring(address.getScheme().length());
    }

    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!literal.contains(":") && !literal.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            // Only a full dotted quad counts: a host name that starts like one (127.0.0.1.example.com) is elsewhere.
            return false;
        }
        try {
            return InetAddress.ofLiteral(literal).isLoopbackAddress();
        } catch (IllegalArgumentException notAnAddress) {
            return false;
        }
    }
}
