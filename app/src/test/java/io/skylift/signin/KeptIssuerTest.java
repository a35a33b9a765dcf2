package io.skylift.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skylift.sandbox.Sandbox;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kept sign-in belongs to the identity provider that issued it. When the service's
 * {@code /v1/config} names another one (a changed deployment, or someone in the middle), the kept
 * tokens are not used, and the refresh token is never handed to the new issuer: sign in again.
 */
class KeptIssuerTest {

    static final String CLIENT = LoopbackCallbackTest.CLIENT;
    static MockOAuth2Server identityProvider;
    static String issuer;
    static String otherIssuer;

    @TempDir
    Path dir;
    FileTokenStore store;

    @BeforeAll
    static void start() {
        identityProvider = new MockOAuth2Server();
        identityProvider.start(0);
        issuer = identityProvider.issuerUrl("skylift").toString();
        otherIssuer = identityProvider.issuerUrl("elsewhere").toString();
    }

    @AfterAll
    static void stop() {
        identityProvider.shutdown();
    }

    @BeforeEach
    void signInAndKeepIt() throws Exception {
        identityProvider.enqueueCallback(new DefaultOAuth2TokenCallback("skylift", "pat-0040", "JWT", List.of(CLIENT),
                Map.of("groups", List.of("photographers")), 3600));
        store = new FileTokenStore(dir);
        store.save("api", oidc(issuer).signIn(OidcSignInTest.BROWSER, address -> { }, Duration.ofSeconds(30)));
        requestedPaths();
    }

    static OidcSignIn oidc(String issuer) {
        return new OidcSignIn(SignInHttp.CLIENT, new SignInConfig(issuer, CLIENT, List.of("openid")), List.of(0), Clock.systemUTC());
    }

    /** Two hours on: the kept access token has expired, so using the sign-in means refreshing it. */
    static Clock later() {
        return Clock.offset(Clock.systemUTC(), Duration.ofHours(2));
    }

    @Test
    void aSignInKeepsTheIssuerThatMadeIt() throws Exception {
        assertThat(store.load("api").orElseThrow().issuer()).isEqualTo(issuer);
    }

    @Test
    void aSignInKeptWithoutItsIssuerByAnOlderSkyliftIsNotUsedOrRefreshed() throws Exception {
        Tokens kept = store.load("api").orElseThrow();
        Tokens older = new Tokens(kept.accessToken(), kept.idToken(), kept.refreshToken(), kept.expiresAt(), null);

        assertThatThrownBy(new TokenSource(oidc(issuer), store, "api", older, later())::get).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("sign in again");
        assertThat(requestedPaths()).as("what the identity provider was asked").noneMatch(path -> path.endsWith("/token"));
    }

    @Test
    void aKeptSignInIsNotUsedWhenTheServiceNowNamesAnotherIssuer() throws Exception {
        var source = new TokenSource(oidc(otherIssuer), store, "api", store.load("api").orElseThrow(), Clock.systemUTC());

        assertThatThrownBy(source::get).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(otherIssuer).hasMessageContaining(issuer).hasMessageContaining("sign in again");
    }

    @Test
    void theRefreshTokenIsNeverSentToAnotherIssuer() throws Exception {
        var source = new TokenSource(oidc(otherIssuer), store, "api", store.load("api").orElseThrow(), later());

        assertThatThrownBy(source::get).isInstanceOf(UncheckedIOException.class).hasMessageContaining("sign in again");
        assertThat(requestedPaths()).as("what the identity providers were asked").noneMatch(path -> path.startsWith("/elsewhere/token"));

        String renewed = new TokenSource(oidc(issuer), store, "api", store.load("api").orElseThrow(), later()).get();
        assertThat(renewed).as("the issuer that made the sign-in still renews it").isNotBlank();
        assertThat(requestedPaths()).contains("/skylift/token");
    }

    @Test
    void signingOutDoesNotHandTheRefreshTokenToAnotherIssuer() throws Exception {
        try (Sandbox changed = Sandbox.start(Sandbox.Settings.ephemeral().withSignIn(new Sandbox.SignIn(otherIssuer, CLIENT, CLIENT)))) {
            URI api = changed.info().api();
            store.save(api.toString(), store.load("api").orElseThrow());

            SignOut.Outcome outcome = new SignOut(store).signOut(api);

            assertThat(outcome.notRevoked()).as("why it was not revoked").contains("sign in again").contains(otherIssuer);
            assertThat(store.load(api.toString())).as("the kept sign-in").isEmpty();
            assertThat(requestedPaths()).as("what the identity providers were asked").noneMatch(path -> path.startsWith("/elsewhere/revoke"));
        }
    }

    /** Every path the identity provider was asked for since last time. */
    private static List<String> requestedPaths() {
        List<String> paths = new ArrayList<>();
        try {
            while (true) {
                paths.add(identityProvider.takeRequest(200, TimeUnit.MILLISECONDS).getRequestUrl().encodedPath());
            }
        } catch (RuntimeException noMore) {
            // The server says so when every request it received has been taken.
            return paths;
        }
    }
}
