package io.skylift.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.skylift.engine.EngineSettings;
import io.skylift.engine.TransferEngine;
import io.skylift.sandbox.Sandbox;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sign-in end to end against a real local OIDC server: the PKCE flow through the loopback listener,
 * the token accepted by the sandbox's API (checked as API Gateway's JWT authorizer would), refresh,
 * and every way a token must be refused.
 */
class OidcSignInTest {

    static final String CLIENT = "skylift-desktop";
    static MockOAuth2Server identityProvider;
    static Sandbox sandbox;
    static final OkHttpClient HTTP = new OkHttpClient();

    @BeforeAll
    static void start() throws IOException {
        identityProvider = new MockOAuth2Server();
        identityProvider.start(0);
        String issuer = identityProvider.issuerUrl("skylift").toString();
        sandbox = Sandbox.start(Sandbox.Settings.ephemeral().withSignIn(new Sandbox.SignIn(issuer, CLIENT, CLIENT)));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
        identityProvider.shutdown();
    }

    /** The person's browser: follows the identity provider's redirect back to the loopback listener. */
    static final Browser BROWSER = address -> {
        try (Response page = HTTP.newCall(new Request.Builder().url(address.toString()).build()).execute()) {
            assertThat(page.body().string()).contains("You are signed in");
        }
    };

    static void nextSignInIs(String subject, Map<String, Object> claims) {
        identityProvider.enqueueCallback(new DefaultOAuth2TokenCallback("skylift", subject, "JWT", List.of(CLIENT), claims, 3600));
    }

    static OidcSignIn signIn() throws IOException {
        return new OidcSignIn(HTTP, SignInConfig.fetch(HTTP, sandbox.info().api()), List.of(0), Clock.systemUTC());
    }

    static int status(String path, String token) throws IOException {
        try (Response response = HTTP.newCall(new Request.Builder().url(sandbox.info().api() + path)
                .header("Authorization", "Bearer " + token).build()).execute()) {
            return response.code();
        }
    }

    @Test
    void thePkceFlowThroughTheLoopbackListenerGivesATokenTheApiAccepts(@TempDir Path dir) throws Exception {
        nextSignInIs("pat-0001", Map.of("groups", List.of("photographers"), "cognito:username", "Pat"));
        URI[] shown = new URI[1];

        Tokens tokens = signIn().signIn(BROWSER, uri -> shown[0] = uri, Duration.ofSeconds(30));

        var authorize = okhttp3.HttpUrl.get(shown[0].toString());
        assertThat(authorize.queryParameter("code_challenge_method")).isEqualTo("S256");
        assertThat(authorize.queryParameter("code_challenge")).hasSize(43);
        assertThat(authorize.queryParameter("state")).isNotBlank();
        assertThat(authorize.queryParameter("redirect_uri")).startsWith("http://localhost:").endsWith("/callback");
        assertThat(tokens.refreshToken()).isNotBlank();
        var source = new TokenSource(signIn(), new FileTokenStore(dir), sandbox.info().api().toString(), tokens, Clock.systemUTC());
        try (TransferEngine engine = TransferEngine.start(EngineSettings.of(sandbox.info().api(), source, dir.resolve("journal")))) {
            TransferEngine.Account account = engine.account();
            assertThat(account.id()).isEqualTo("pat-0001");
            assertThat(account.roles()).containsExactly("photographer");
        }
    }

    @Test
    void aTokenAboutToExpireIsRefreshedAndStoredAgain(@TempDir Path dir) throws Exception {
        nextSignInIs("pat-0002", Map.of("groups", List.of("photographers")));
        OidcSignIn oidc = signIn();
        Tokens first = oidc.signIn(BROWSER, uri -> { }, Duration.ofSeconds(30));
        Tokens expiring = new Tokens(first.accessToken(), first.idToken(), first.refreshToken(), Instant.now().plusSeconds(10), first.issuer());
        FileTokenStore store = new FileTokenStore(dir);
        nextSignInIs("pat-0002", Map.of("groups", List.of("photographers")));

        String bearer = new TokenSource(oidc, store, "api", expiring, Clock.systemUTC()).get();

        assertThat(bearer).isNotEqualTo(first.accessToken());
        assertThat(status("/v1/files", bearer)).isEqualTo(200);
        assertThat(store.load("api").orElseThrow().accessToken()).isEqualTo(bearer);
    }

    @Test
    void theSignInAsksForTheScopesTheServiceNames() throws Exception {
        List<String> served = new ArrayList<>();
        try (Response config = HTTP.newCall(new Request.Builder().url(sandbox.info().api() + "/v1/config").build()).execute()) {
            new ObjectMapper().readTree(config.body().string()).path("scopes").forEach(scope -> served.add(scope.asText()));
        }
        nextSignInIs("pat-0006", Map.of("groups", List.of("photographers")));
        URI[] shown = new URI[1];

        signIn().signIn(BROWSER, uri -> shown[0] = uri, Duration.ofSeconds(30));

        assertThat(served).hasSizeGreaterThan(1);
        assertThat(okhttp3.HttpUrl.get(shown[0].toString()).queryParameter("scope")).isEqualTo(String.join(" ", served));
    }

    @Test
    void tokensOfAnotherIssuerOrAudienceExpiredOrBadlySignedAreRefusedWith401() throws Exception {
        Map<String, Object> photographer = Map.of("groups", List.of("photographers"));
        String good = identityProvider.issueToken("skylift", "pat-0003", CLIENT, photographer, 3600).serialize();
        String otherIssuer = identityProvider.issueToken("elsewhere", "pat-0003", CLIENT, photographer, 3600).serialize();
        String otherAudience = identityProvider.issueToken("skylift", "pat-0003", "another-app", photographer, 3600).serialize();
        String expired = identityProvider.issueToken("skylift", "pat-0003", CLIENT, photographer, -60).serialize();
        String[] parts = good.split("\\.");
        String badSignature = parts[0] + "." + parts[1] + "." + (parts[2].startsWith("A") ? "B" : "A") + parts[2].substring(1);

        assertThat(status("/v1/files", good)).isEqualTo(200);
        assertThat(status("/v1/files", otherIssuer)).as("another issuer").isEqualTo(401);
        assertThat(status("/v1/files", otherAudience)).as("another audience").isEqualTo(401);
        assertThat(status("/v1/files", expired)).as("expired").isEqualTo(401);
        assertThat(status("/v1/files", badSignature)).as("bad signature").isEqualTo(401);
    }

    @Test
    void aUserInNoGroupMayOnlyAskWhoTheyAreAndHowToSignIn() throws Exception {
        String nobody = identityProvider.issueToken("skylift", "nora-0004", CLIENT, Map.of(), 3600).serialize();

        assertThat(status("/v1/me", nobody)).isEqualTo(200);
        assertThat(status("/v1/config", nobody)).isEqualTo(200);
        assertThat(status("/v1/files", nobody)).isEqualTo(403);
        assertThat(status("/v1/uploads", nobody)).isEqualTo(403);
    }

    @Test
    void theServiceTellsTheAppHowToSignIn() throws Exception {
        SignInConfig config = SignInConfig.fetch(HTTP, sandbox.info().api());

        assertThat(config.available()).isTrue();
        assertThat(config.issuer()).isEqualTo(identityProvider.issuerUrl("skylift").toString());
        assertThat(config.clientId()).isEqualTo(CLIENT);
    }
}
