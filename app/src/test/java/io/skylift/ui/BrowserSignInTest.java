package io.skylift.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.sandbox.Sandbox;
import io.skylift.signin.FileTokenStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javafx.scene.control.Label;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signing in from the window through the browser (a local OIDC server), coming back signed in, and signing out. */
class BrowserSignInTest {

    @TempDir
    Path dir;
    WindowDriver window;
    MockOAuth2Server identityProvider;
    Sandbox organisation;

    @AfterEach
    void close() throws Exception {
        if (window != null) {
            window.close();
        }
        if (organisation != null) {
            organisation.close();
        }
        if (identityProvider != null) {
            identityProvider.shutdown();
        }
        DesktopApp.browser = io.skylift.signin.Browser.system();
        System.clearProperty("skylift.noKeyring");
    }

    @Test
    void theWindowSignsInThroughTheBrowserRemembersItAndSignsOut() throws Exception {
        identityProvider = new MockOAuth2Server();
        identityProvider.start(0);
        String issuer = identityProvider.issuerUrl("skylift").toString();
        organisation = Sandbox.start(Sandbox.Settings.ephemeral().withSignIn(new Sandbox.SignIn(issuer, "skylift-desktop", "skylift-desktop")));
        for (int i = 0; i < 3; i++) {
            identityProvider.enqueueCallback(new DefaultOAuth2TokenCallback("skylift", "pat-0010", "JWT", List.of("skylift-desktop"),
                    Map.of("groups", List.of("photographers"), "cognito:username", "Pat Browser"), 3600));
        }
        System.setProperty("skylift.noKeyring", "true");
        // The system browser is the edge: here a client that follows the identity provider's redirect.
        DesktopApp.browser = address -> {
            try (Response page = new OkHttpClient().newCall(new Request.Builder().url(address.toString()).build()).execute()) {
                page.body().string();
            }
        };
        String api = organisation.info().api().toString();

        window = new WindowDriver(dir.resolve("data")).open();
        window.clickOn("#api-url").write(api);
        window.clickOn("#connect");
        window.awaitSignedIn();
        assertThat(window.<Label>node("#account").getText()).contains("Pat Browser");
        assertThat(new FileTokenStore(dir.resolve("data").resolve("tokens")).load(api)).as("the sign-in is kept").isPresent();
        window.close();

        window = new WindowDriver(dir.resolve("data")).open();
        window.awaitSignedIn();
        assertThat(window.<Label>node("#account").getText()).as("signed in again without asking").contains("Pat Browser");

        window.clickOn("#sign-out");
        window.await("the sign-in screen", () -> window.lookup("#api-url").tryQuery().isPresent());
        assertThat(new FileTokenStore(dir.resolve("data").resolve("tokens")).load(api)).as("the sign-in is forgotten").isEmpty();
    }
}
