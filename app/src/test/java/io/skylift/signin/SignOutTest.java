package io.skylift.signin;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.sandbox.Sandbox;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signing out, as both the window and `skylift logout` do it: revoked where possible, forgotten here always. */
class SignOutTest {

    @TempDir
    Path dir;

    @Test
    void aBrowserSignInIsRevokedAtTheIdentityProviderAndForgottenHere() throws Exception {
        MockOAuth2Server identityProvider = new MockOAuth2Server();
        identityProvider.start(0);
        String issuer = identityProvider.issuerUrl("skylift").toString();
        try (Sandbox sandbox = Sandbox.start(Sandbox.Settings.ephemeral()
                .withSignIn(new Sandbox.SignIn(issuer, OidcSignInTest.CLIENT, OidcSignInTest.CLIENT)))) {
            identityProvider.enqueueCallback(new DefaultOAuth2TokenCallback("skylift", "pat-0020", "JWT", List.of(OidcSignInTest.CLIENT),
                    Map.of("groups", List.of("photographers")), 3600));
            URI api = sandbox.info().api();
            OidcSignIn oidc = new OidcSignIn(SignInHttp.CLIENT, SignInConfig.fetch(SignInHttp.CLIENT, api), List.of(0), Clock.systemUTC());
            FileTokenStore store = new FileTokenStore(dir);
            store.save(api.toString(), oidc.signIn(OidcSignInTest.BROWSER, address -> { }, Duration.ofSeconds(30)));

            SignOut.Outcome outcome = new SignOut(store).signOut(api);

            assertThat(outcome.wasSignedIn()).isTrue();
            assertThat(outcome.notRevoked()).as("the identity provider took the revocation").isNull();
            assertThat(store.load(api.toString())).as("the kept sign-in").isEmpty();
            assertThat(requestedPaths(identityProvider)).as("what the identity provider was asked").anyMatch(path -> path.endsWith("/revoke"));
        } finally {
            identityProvider.shutdown();
        }
    }

    @Test
    void aSignInIsForgottenEvenWhenNobodyAnswersTheRevocation() throws Exception {
        URI api = URI.create("http://127.0.0.1:" + freePort());
        FileTokenStore store = new FileTokenStore(dir);
        store.save(api.toString(), new Tokens("access", null, "refresh", Instant.now().plusSeconds(3600), api + "/issuer"));

        SignOut.Outcome outcome = new SignOut(store).signOut(api);

        assertThat(outcome.wasSignedIn()).isTrue();
        assertThat(outcome.notRevoked()).as("why it was not revoked").isNotBlank().doesNotContain("refresh");
        assertThat(store.load(api.toString())).as("the kept sign-in").isEmpty();
    }

    @Test
    void withNothingKeptThereIsNothingToSignOutOf() throws Exception {
        SignOut.Outcome outcome = new SignOut(new FileTokenStore(dir)).signOut(URI.create("http://127.0.0.1:9"));

        assertThat(outcome.wasSignedIn()).isFalse();
    }

    private static List<String> requestedPaths(MockOAuth2Server server) {
        List<String> paths = new java.util.ArrayList<>();
        try {
            while (true) {
                paths.add(server.takeRequest(1, TimeUnit.SECONDS).getRequestUrl().encodedPath());
            }
        } catch (RuntimeException noMore) {
            // The server says so when every request it received has been taken.
            return paths;
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
