package io.skylift.signin;

import com.fasterxml.jackson.databind.JsonNode;
import io.skylift.json.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * OAuth 2.0 sign-in for a native app: authorization code with PKCE (S256) and {@code state}, in the
 * system browser, redirected to a loopback listener (RFC 8252); token refresh; sign-out by
 * revoking the refresh token. Endpoints come from the issuer's discovery document, read over https
 * (plain http only on this computer), naming exactly the issuer the service names, and sending
 * secrets only over https. Tokens remember their issuer; they are neither refreshed nor revoked
 * where the service now names another. Thread-safe.
 *
 * <pre>{@code
 * OidcSignIn oidc = new OidcSignIn(SignInHttp.CLIENT, SignInConfig.fetch(SignInHttp.CLIENT, api));
 * Tokens tokens = oidc.signIn(Browser.system(), address -> { }, Duration.ofMinutes(5));
 * }</pre>
 */
public final class OidcSignIn {

    /** The loopback ports the deployment template registers, in order. */
    public static final List<Integer> PORTS = List.of(53682, 53683, 53684);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OkHttpClient http;
    private final SignInConfig config;
    private final List<Integer> ports;
    private final Clock clock;
    private volatile JsonNode discovery;

    public OidcSignIn(OkHttpClient http, SignInConfig config) {
        this(http, config, PORTS, Clock.systemUTC());
    }

    OidcSignIn(OkHttpClient http, SignInConfig config, List<Integer> ports, Clock clock) {
        this.http = http;
        this.config = config;
        this.ports = ports;
        this.clock = clock;
    }

    /**
     * Signs in through the browser; returns when the identity provider redirected back with a code
     * that was exchanged for tokens, or fails after {@code patience}.
     *
     * @param shown called with the sign-in address before the browser opens (to print it, for people
     *              whose browser does not open by itself)
     */
    public Tokens signIn(Browser browser, java.util.function.Consumer<URI> shown, Duration patience) throws IOException {
        String verifier = random(48);
        String state = random(24);
        try (LoopbackReceiver receiver = LoopbackReceiver.open(ports, state)) {
            HttpUrl authorize = HttpUrl.get(endpoint("authorization_endpoint")).newBuilder()
                    .addQueryParameter("response_type", "code")
                    .addQueryParameter("client_id", config.clientId())
                    .addQueryParameter("redirect_uri", receiver.redirectUri().toString())
                    .addQueryParameter("scope", String.join(" ", config.scopes()))
                    .addQueryParameter("state", state)
                    .addQueryParameter("code_challenge", challenge(verifier))
                    .addQueryParameter("code_challenge_method", "S256")
                    .build();
            shown.accept(authorize.uri());
            browser.open(authorize.uri());
            Map<String, String> answer;
            try {
                answer = receiver.answer().get(patience.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new IOException("Sign-in did not finish within " + inWords(patience) + "; try again.", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Sign-in was interrupted.", e);
            } catch (ExecutionException e) {
                throw new IOException("Sign-in failed: " + e.getCause().getMessage(), e);
            }
            // The receiver hands over only an answer carrying this sign-in's state (no CSRF), with a code or an error.
            if (answer.containsKey("error")) {
                throw new IOException("The identity provider refused the sign-in: "
                        + answer.getOrDefault("error_description", answer.get("error")));
            }
            return tokenRequest(new FormBody.Builder()
                    .add("grant_type", "authorization_code")
                    .add("code", answer.get("code"))
                    .add("redirect_uri", receiver.redirectUri().toString())
                    .add("client_id", config.clientId())
                    .add("code_verifier", verifier)
                    .build(), null);
        }
    }

    /**
     * New tokens from the refresh token; the refresh token is kept when the issuer does not rotate it.
     * Refused, with nothing sent, when the tokens came from another issuer than the service names now.
     */
    public Tokens refresh(Tokens tokens) throws IOException {
        requireIssuerOf(tokens);
        if (tokens.refreshToken() == null) {
            throw new IOException("The sign-in has expired; sign in again.");
        }
        return tokenRequest(new FormBody.Builder()
                .add("grant_type", "refresh_token")
                .add("refresh_token", tokens.refreshToken())
                .add("client_id", config.clientId())
                .build(), tokens.refreshToken());
    }

    /**
     * Revokes the refresh token where the issuer supports it; signing out locally needs nothing else.
     * Refused, with nothing sent, when the tokens came from another issuer than the service names now.
     */
    public void revoke(Tokens tokens) throws IOException {
        requireIssuerOf(tokens);
        String endpoint = discovery().path("revocation_endpoint").asText(null);
        if (endpoint == null || tokens.refreshToken() == null) {
            return;
        }
        var body = new FormBody.Builder().add("token", tokens.refreshToken()).add("token_type_hint", "refresh_token")
                .add("client_id", config.clientId()).build();
        try (Response response = http.newCall(new Request.Builder().url(endpoint).post(body).build()).execute()) {
            if (!response.isSuccessful()) {
                throw new IOException("The identity provider did not revoke the sign-in (HTTP " + response.code() + ").");
            }
        }
    }

    /**
     * Fails, saying to sign in again, unless {@code tokens} were issued by the issuer the service
     * names now: a changed issuer (a new deployment, or someone in the middle of the service's
     * settings) must not be given, or trusted with, the tokens of another.
     */
    void requireIssuerOf(Tokens tokens) throws IOException {
        if (tokens.issuer() == null) {
            throw new IOException("The kept sign-in does not say which identity provider made it (an older Skylift kept it);"
                    + " sign in again.");
        }
        if (!tokens.issuer().equals(config.issuer())) {
            throw new IOException("The service now signs in with " + config.issuer() + ", not with " + tokens.issuer()
                    + " that made the kept sign-in; sign in again.");
        }
    }

    private Tokens tokenRequest(FormBody form, String previousRefresh) throws IOException {
        try (Response response = http.newCall(new Request.Builder().url(endpoint("token_endpoint")).post(form).build()).execute()) {
            JsonNode body = Json.WIRE.readTree(response.body().string());
            if (!response.isSuccessful()) {
                // The error code and description, never the request (it holds the code or refresh token).
                throw new IOException("The identity provider refused to issue tokens: " + body.path("error").asText("HTTP " + response.code())
                        + (body.has("error_description") ? " (" + body.get("error_description").asText() + ")" : ""));
            }
            long lifetime = body.path("expires_in").asLong(3600);
            return new Tokens(text(body, "access_token"), text(body, "id_token"),
                    body.hasNonNull("refresh_token") ? body.get("refresh_token").asText() : previousRefresh,
                    Instant.now(clock).plusSeconds(lifetime), config.issuer());
        }
    }

    private String endpoint(String name) throws IOException {
        String endpoint = discovery().path(name).asText(null);
        if (endpoint == null) {
            throw new IOException("The identity provider " + config.issuer() + " has no " + name + ".");
        }
        return endpoint;
    }

    private JsonNode discovery() throws IOException {
        // Read at most once per instance in the common case; two threads racing both read the same document.
        JsonNode known = discovery;
        if (known == null) {
            known = readDiscovery();
            discovery = known;
        }
        return known;
    }

    /**
     * The issuer's discovery document, checked as OpenID Connect Discovery §4.3 asks (it names exactly
     * the issuer it was fetched for) and for where it sends secrets: https, plain http only on this computer.
     */
    private JsonNode readDiscovery() throws IOException {
        String issuer = config.issuer();
        if (!CredentialTransport.allows(address(issuer, "issuer"))) {
            throw new IOException("The identity provider " + issuer + " is not an https address; the sign-in would travel"
                    + " unencrypted (" + CredentialTransport.LOOPBACK_ONLY + "). Ask your administrator to name an https issuer.");
        }
        String url = issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration";
        JsonNode document;
        try (Response response = http.newCall(new Request.Builder().url(url).build()).execute()) {
            if (!response.isSuccessful()) {
                throw new IOException("Cannot read the sign-in settings of " + issuer + " (HTTP " + response.code() + ").");
            }
            document = Json.WIRE.readTree(response.body().string());
        }
        String named = document.path("issuer").asText(null);
        if (!issuer.equals(named)) {
            throw new IOException("The identity provider at " + issuer + " calls itself " + (named == null ? "nothing" : named)
                    + " in its sign-in settings; Skylift signs in only where both agree exactly.");
        }
        for (String endpoint : List.of("authorization_endpoint", "token_endpoint", "revocation_endpoint")) {
            String value = document.path(endpoint).asText(null);
            if (value != null && !CredentialTransport.allows(address(value, endpoint))) {
                throw new IOException("The identity provider " + issuer + " names " + value + " as its " + endpoint
                        + ", which is not https; the sign-in would travel unencrypted there.");
            }
        }
        return document;
    }

    private URI address(String value, String what) throws IOException {
        try {
            return new URI(value);
        } catch (java.net.URISyntaxException e) {
            throw new IOException("The identity provider's " + what + " is not a web address: " + value, e);
        }
    }

    private static String inWords(Duration patience) {
        return patience.toSeconds() < 120 ? patience.toSeconds() + " seconds" : patience.toMinutes() + " minutes";
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String challenge(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    URI issuer() {
        return URI.create(config.issuer());
    }
}
