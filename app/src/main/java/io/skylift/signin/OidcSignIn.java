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
 * revoking the refresh token. Endpoints come from the issuer's discovery document. Thread-safe.
 */
public final class OidcSignIn {

    /** The loopback ports the deployment template registers, in order. */
    public static final List<Integer> PORTS = List.of(53682, 53683, 53684);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OkHttpClient http;
    private final SignInConfig config;
    private final List<Integer> ports;
    private final Clock clock;
    private JsonNode discovery;

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

    /** New tokens from the refresh token; the refresh token is kept when the issuer does not rotate it. */
    public Tokens refresh(Tokens tokens) throws IOException {
        if (tokens.refreshToken() == null) {
            throw new IOException("The sign-in has expired; sign in again.");
        }
        return tokenRequest(new FormBody.Builder()
                .add("grant_type", "refresh_token")
                .add("refresh_token", tokens.refreshToken())
                .add("client_id", config.clientId())
                .build(), tokens.refreshToken());
    }

    /** Revokes the refresh token where the issuer supports it; signing out locally needs nothing else. */
    public void revoke(Tokens tokens) throws IOException {
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
                    Instant.now(clock).plusSeconds(lifetime));
        }
    }

    private String endpoint(String name) throws IOException {
        String endpoint = discovery().path(name).asText(null);
        if (endpoint == null) {
            throw new IOException("The identity provider " + config.issuer() + " has no " + name + ".");
        }
        return endpoint;
    }

    private synchronized JsonNode discovery() throws IOException {
        if (discovery == null) {
            String url = config.issuer().replaceAll("/+$", "") + "/.well-known/openid-configuration";
            try (Response response = http.newCall(new Request.Builder().url(url).build()).execute()) {
                if (!response.isSuccessful()) {
                    throw new IOException("Cannot read the sign-in settings of " + config.issuer() + " (HTTP " + response.code() + ").");
                }
                discovery = Json.WIRE.readTree(response.body().string());
            }
        }
        return discovery;
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
