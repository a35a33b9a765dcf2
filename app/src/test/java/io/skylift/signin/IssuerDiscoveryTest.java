package io.skylift.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The identity provider is found through its discovery document (OpenID Connect Discovery), which
 * says where codes and refresh tokens go. It is read only over https (plain http only on this
 * computer), must name exactly the issuer the service named, and may only send secrets over https.
 */
class IssuerDiscoveryTest {

    HttpServer provider;
    String base;
    String issuer;
    final List<String> asked = new CopyOnWriteArrayList<>();
    final List<java.net.URI> opened = new CopyOnWriteArrayList<>();
    volatile String document;

    @BeforeEach
    void start() throws IOException {
        provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        provider.createContext("/", exchange -> {
            asked.add(exchange.getRequestURI().getPath());
            boolean discovery = exchange.getRequestURI().getPath().equals("/pool/.well-known/openid-configuration");
            byte[] body = (discovery ? document : "{\"error\":\"invalid_grant\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(discovery ? 200 : 400, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        provider.start();
        base = "http://127.0.0.1:" + provider.getAddress().getPort();
        issuer = base + "/pool";
    }

    @AfterEach
    void stop() {
        provider.stop(0);
    }

    void serve(Map<String, String> fields) {
        var json = new StringBuilder("{");
        new TreeMap<>(fields).forEach((name, value) -> json.append(json.length() > 1 ? "," : "").append('"').append(name)
                .append("\":\"").append(value).append('"'));
        document = json.append('}').toString();
    }

    Map<String, String> honest() {
        return Map.of("issuer", issuer, "authorization_endpoint", base + "/pool/authorize", "token_endpoint", base + "/pool/token",
                "revocation_endpoint", base + "/pool/revoke");
    }

    Exception signInAt(String issuer) {
        var oidc = new OidcSignIn(SignInHttp.CLIENT, new SignInConfig(issuer, "skylift-desktop", List.of("openid")), List.of(0),
                Clock.systemUTC());
        return org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> oidc.signIn(opened::add, uri -> { }, Duration.ofSeconds(1)));
    }

    @Test
    void anIssuerOnAnotherComputerIsNotAskedOverPlainHttp() {
        Exception refused = signInAt("http://sign-in.example.com/pool");

        assertThat(refused).hasMessageContaining("http://sign-in.example.com/pool").hasMessageContaining("https");
        assertThat(opened).as("sign-in pages opened").isEmpty();
    }

    @Test
    void aDiscoveryDocumentNamingAnotherIssuerIsRefused() {
        for (String named : List.of("https://sign-in.example.com/pool", issuer + "/", base + "/other")) {
            var fields = new java.util.HashMap<>(honest());
            fields.put("issuer", named);
            serve(fields);

            Exception refused = signInAt(issuer);

            assertThat(refused).as(named).hasMessageContaining(named).hasMessageContaining(issuer);
        }
        assertThat(opened).as("sign-in pages opened").isEmpty();
        assertThat(asked).as("what the provider was asked").allMatch(path -> path.endsWith("/.well-known/openid-configuration"));
    }

    @Test
    void anEndpointOnAnotherComputerOverPlainHttpIsRefused() {
        for (String endpoint : List.of("authorization_endpoint", "token_endpoint", "revocation_endpoint")) {
            var fields = new java.util.HashMap<>(honest());
            fields.put(endpoint, "http://sign-in.example.com/pool/" + endpoint);
            serve(fields);

            Exception refused = signInAt(issuer);

            assertThat(refused).as(endpoint).hasMessageContaining(endpoint).hasMessageContaining("https");
        }
        assertThat(opened).as("sign-in pages opened").isEmpty();
    }

    @Test
    void anHonestDocumentOnThisComputerIsUsed() {
        serve(honest());

        Exception timedOut = signInAt(issuer);

        assertThat(timedOut).hasMessageContaining("did not finish");
        assertThat(opened).hasSize(1);
        assertThat(opened.getFirst().toString()).startsWith(base + "/pool/authorize?");
    }
}
