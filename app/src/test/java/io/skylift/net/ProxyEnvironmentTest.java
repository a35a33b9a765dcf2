package io.skylift.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy a shell or desktop names in HTTPS_PROXY / HTTP_PROXY / NO_PROXY is the one Java's
 * default proxy selector (which OkHttp and the AWS SDK's URL-connection client ask) then picks.
 */
class ProxyEnvironmentTest {

    static final List<String> KEYS = List.of("https.proxyHost", "https.proxyPort", "http.proxyHost", "http.proxyPort",
            "http.nonProxyHosts");
    final Properties saved = new Properties();

    @BeforeEach
    void save() {
        KEYS.forEach(key -> {
            if (System.getProperty(key) != null) {
                saved.setProperty(key, System.getProperty(key));
            }
            System.clearProperty(key);
        });
    }

    @AfterEach
    void restore() {
        KEYS.forEach(System::clearProperty);
        saved.forEach((key, value) -> System.setProperty((String) key, (String) value));
    }

    static Proxy chosenFor(String url) {
        return ProxySelector.getDefault().select(URI.create(url)).getFirst();
    }

    @Test
    void httpsGoesThroughTheProxyTheEnvironmentNames() {
        ProxyEnvironment.apply(Map.of("https_proxy", "http://proxy.studio.example:3128"));

        Proxy proxy = chosenFor("https://photos.s3.eu-west-1.amazonaws.com/u/pat/IMG_0001.CR3");

        assertThat(proxy.type()).isEqualTo(Proxy.Type.HTTP);
        assertThat((InetSocketAddress) proxy.address()).satisfies(a -> {
            assertThat(a.getHostString()).isEqualTo("proxy.studio.example");
            assertThat(a.getPort()).isEqualTo(3128);
        });
    }

    @Test
    void hostsInNoProxyAreReachedDirectly() {
        ProxyEnvironment.apply(Map.of("HTTPS_PROXY", "proxy.studio.example:8080", "NO_PROXY", ".intranet.example, files.local"));

        assertThat(chosenFor("https://skylift.intranet.example/v1/me")).isEqualTo(Proxy.NO_PROXY);
        assertThat(chosenFor("https://files.local/v1/me")).isEqualTo(Proxy.NO_PROXY);
        assertThat(chosenFor("https://api.skylift.example/v1/me").type()).isEqualTo(Proxy.Type.HTTP);
    }

    @Test
    void aProxyAlreadyConfiguredForJavaWinsAndAnUnusableValueIsIgnored() {
        System.setProperty("https.proxyHost", "chosen.example");
        System.setProperty("https.proxyPort", "9000");
        ProxyEnvironment.apply(Map.of("HTTPS_PROXY", "http://other.example:3128", "HTTP_PROXY", "::not a proxy::"));

        assertThat(((InetSocketAddress) chosenFor("https://api.skylift.example/").address()).getHostString()).isEqualTo("chosen.example");
        assertThat(chosenFor("http://api.skylift.example/")).isEqualTo(Proxy.NO_PROXY);
    }

    @Test
    void clientsThatDoNotAskTheSelectorGetTheProxyItWouldPickAndNoneForThisComputer() {
        ProxyEnvironment.apply(Map.of("HTTPS_PROXY", "http://proxy.studio.example:3128"));

        assertThat(ProxyEnvironment.proxyFor(URI.create("https://s3.amazonaws.com/"))).hasValueSatisfying(a -> {
            assertThat(a.getHostString()).isEqualTo("proxy.studio.example");
            assertThat(a.getPort()).isEqualTo(3128);
        });
        assertThat(ProxyEnvironment.proxyFor(URI.create("https://127.0.0.1:9000/"))).as("a server on this computer").isEmpty();
    }
}
