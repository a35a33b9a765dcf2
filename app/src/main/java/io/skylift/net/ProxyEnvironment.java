package io.skylift.net;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies the proxy variables desktops and shells set ({@code HTTPS_PROXY}, {@code HTTP_PROXY},
 * {@code NO_PROXY}, either case) as Java's proxy properties, which every HTTP client of the app
 * reads through the default {@link java.net.ProxySelector}. Properties already given win; the
 * system's own settings come in through {@code java.net.useSystemProxies} (set by the launchers).
 */
public final class ProxyEnvironment {

    private ProxyEnvironment() {}

    public static void apply(Map<String, String> env) {
        set("https", first(env, "HTTPS_PROXY", "https_proxy"));
        set("http", first(env, "HTTP_PROXY", "http_proxy"));
        String noProxy = first(env, "NO_PROXY", "no_proxy");
        if (noProxy != null && System.getProperty("http.nonProxyHosts") == null) {
            // NO_PROXY is comma-separated with optional leading dots; Java wants '|' and '*'.
            String hosts = String.join("|", java.util.Arrays.stream(noProxy.split(","))
                    .map(String::strip).filter(h -> !h.isEmpty())
                    .map(h -> h.startsWith(".") ? "*" + h : h).toList());
            System.setProperty("http.nonProxyHosts", hosts);
        }
    }

    /**
     * The HTTP proxy Java's default selector picks for {@code target} (honouring the non-proxy hosts),
     * for clients that do not ask the selector themselves, such as the AWS CRT's.
     */
    public static Optional<InetSocketAddress> proxyFor(URI target) {
        List<Proxy> proxies = ProxySelector.getDefault().select(target);
        Proxy first = proxies.isEmpty() ? Proxy.NO_PROXY : proxies.getFirst();
        return first.type() == Proxy.Type.HTTP && first.address() instanceof InetSocketAddress address
                ? Optional.of(address) : Optional.empty();
    }

    private static void set(String scheme, String value) {
        if (value == null || value.isBlank() || System.getProperty(scheme + ".proxyHost") != null) {
            return;
        }
        try {
            URI uri = URI.create(value.contains("://") ? value : "http://" + value);
            if (uri.getHost() == null) {
                return;
            }
            System.setProperty(scheme + ".proxyHost", uri.getHost());
            System.setProperty(scheme + ".proxyPort", String.valueOf(uri.getPort() > 0 ? uri.getPort() : 80));
        } catch (IllegalArgumentException ignored) {
            // An unusable value is ignored, as curl does.
        }
    }

    private static String first(Map<String, String> env, String... names) {
        for (String name : names) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
