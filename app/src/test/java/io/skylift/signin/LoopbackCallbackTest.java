package io.skylift.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The loopback port of a sign-in is open to every program on the computer and every page the browser
 * shows: a request that is not this sign-in's answer is refused with 400 and the sign-in goes on
 * waiting for the real one. Real HTTP requests to the listener, against a real local OIDC server.
 */
class LoopbackCallbackTest {

    static final String CLIENT = "skylift-desktop";
    static final OkHttpClient HTTP = new OkHttpClient();
    static final OkHttpClient NO_REDIRECTS = HTTP.newBuilder().followRedirects(false).build();
    static MockOAuth2Server identityProvider;

    @BeforeAll
    static void start() {
        identityProvider = new MockOAuth2Server();
        identityProvider.start(0);
    }

    @AfterAll
    static void stop() {
        identityProvider.shutdown();
    }

    static OidcSignIn signIn() {
        identityProvider.enqueueCallback(new DefaultOAuth2TokenCallback("skylift", "pat-0030", "JWT", List.of(CLIENT),
                Map.of("groups", List.of("photographers")), 3600));
        var config = new SignInConfig(identityProvider.issuerUrl("skylift").toString(), CLIENT, List.of("openid"));
        return new OidcSignIn(HTTP, config, List.of(0), Clock.systemUTC());
    }

    record Answer(int status, String page) {}

    static Answer get(HttpUrl url) throws IOException {
        try (Response response = HTTP.newCall(new Request.Builder().url(url).build()).execute()) {
            return new Answer(response.code(), response.body().string());
        }
    }

    /** Where the identity provider sends the browser back to: the genuine answer, with its code and state. */
    static HttpUrl genuineRedirect(java.net.URI authorize) throws IOException {
        try (Response toProvider = NO_REDIRECTS.newCall(new Request.Builder().url(authorize.toString()).build()).execute()) {
            return HttpUrl.get(toProvider.header("Location"));
        }
    }

    @Test
    void requestsThatAreNotThisSignInsAnswerGet400AndTheGenuineAnswerStillSignsIn() throws Exception {
        List<Integer> stray = new ArrayList<>();
        Answer[] genuine = new Answer[1];
        Browser browser = address -> {
            HttpUrl authorize = HttpUrl.get(address.toString());
            HttpUrl callback = HttpUrl.get(authorize.queryParameter("redirect_uri"));
            String state = authorize.queryParameter("state");
            HttpUrl redirect = genuineRedirect(address);
            // A real code delivered with a state this sign-in never sent (CSRF), then junk of every shape.
            stray.add(get(redirect.newBuilder().setQueryParameter("state", "not-the-state-of-this-sign-in").build()).status());
            stray.add(get(callback.newBuilder().addQueryParameter("code", "made-up").build()).status());
            stray.add(get(callback.newBuilder().addQueryParameter("state", state).build()).status());
            stray.add(get(callback).status());
            stray.add(get(callback.newBuilder().encodedPath("/callbackx").query(redirect.query()).build()).status());
            stray.add(get(callback.newBuilder().encodedPath("/favicon.ico").build()).status());
            genuine[0] = get(redirect);
        };

        Tokens tokens = signIn().signIn(browser, uri -> { }, Duration.ofSeconds(30));

        assertThat(stray).as("what the stray requests were answered").containsExactly(400, 400, 400, 400, 404, 404);
        assertThat(genuine[0].status()).isEqualTo(200);
        assertThat(genuine[0].page()).contains("You are signed in");
        assertThat(tokens.accessToken()).isNotBlank();
    }

    @Test
    void aForgedAnswerAloneLeavesTheSignInWaitingUntilItsTimeout() {
        Answer[] forged = new Answer[1];
        Browser forging = address -> {
            HttpUrl redirect = genuineRedirect(address);
            forged[0] = get(redirect.newBuilder().setQueryParameter("state", "not-the-state-of-this-sign-in").build());
        };

        assertThatThrownBy(() -> signIn().signIn(forging, uri -> { }, Duration.ofSeconds(2)))
                .isInstanceOf(IOException.class).hasMessageContaining("did not finish within 2 seconds");
        assertThat(forged[0].status()).isEqualTo(400);
        assertThat(forged[0].page()).doesNotContain("You are signed in");
    }

    @Test
    void aRefusalCarryingThisSignInsStateEndsItWithTheProvidersWords() {
        Answer[] refusal = new Answer[1];
        Browser refusing = address -> {
            HttpUrl authorize = HttpUrl.get(address.toString());
            refusal[0] = get(HttpUrl.get(authorize.queryParameter("redirect_uri")).newBuilder()
                    .addQueryParameter("state", authorize.queryParameter("state"))
                    .addQueryParameter("error", "access_denied")
                    .addQueryParameter("error_description", "The person said no")
                    .build());
        };

        assertThatThrownBy(() -> signIn().signIn(refusing, uri -> { }, Duration.ofSeconds(30)))
                .isInstanceOf(IOException.class).hasMessageContaining("refused the sign-in: The person said no");
        assertThat(refusal[0].page()).contains("Sign-in did not finish");
    }
}
