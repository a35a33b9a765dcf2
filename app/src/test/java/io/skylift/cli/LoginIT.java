package io.skylift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.sandbox.Sandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `skylift login`, then commands without a token, then `skylift logout`: as real processes, against a local OIDC server. */
class LoginIT {

    MockOAuth2Server identityProvider;
    Sandbox sandbox;

    @AfterEach
    void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
        if (identityProvider != null) {
            identityProvider.shutdown();
        }
    }

    @Test
    void loginKeepsASignInThatLaterCommandsUseUntilLogout(@TempDir Path dir) throws Exception {
        identityProvider = new MockOAuth2Server();
        identityProvider.start(0);
        String issuer = identityProvider.issuerUrl("skylift").toString();
        sandbox = Sandbox.start(Sandbox.Settings.ephemeral().withSignIn(new Sandbox.SignIn(issuer, "skylift-desktop", "skylift-desktop")));
        identityProvider.enqueueCallback(new DefaultOAuth2TokenCallback("skylift", "pat-0009", "JWT", List.of("skylift-desktop"),
                Map.of("groups", List.of("photographers"), "cognito:username", "Pat"), 3600));
        Map<String, String> env = Map.of("SKYLIFT_API", sandbox.info().api().toString(), "SKYLIFT_DATA_DIR", dir.toString(),
                "SKYLIFT_NO_KEYRING", "1");

        try (var login = SkyliftProcess.start(env, "login", "--no-browser")) {
            String address = login.readLine();
            // The person's browser: the identity provider sends it back to the loopback listener.
            try (Response page = new OkHttpClient().newCall(new Request.Builder().url(address).build()).execute()) {
                assertThat(page.body().string()).contains("You are signed in");
            }
            assertThat(login.readLine()).startsWith("Signed in to 127.0.0.1 as Pat (photographer)");
            assertThat(login.waitFor(Duration.ofSeconds(60))).isZero();
        }
        StringBuilder said = new StringBuilder();
        try (var ls = SkyliftProcess.start(env, "ls")) {
            assertThat(ls.waitFor(Duration.ofSeconds(60))).as("a command with the kept sign-in").isZero();
            said.append(ls.stderr());
        }
        Path photo = java.nio.file.Files.write(dir.resolve("photo.cr3"), new byte[300_000]);
        try (var upload = SkyliftProcess.start(env, "upload", photo.toString(), "--to", "signed-in", "--json")) {
            said.append(upload.readLine());
            assertThat(upload.waitFor(Duration.ofSeconds(60))).isZero();
            said.append(upload.stderr());
        }
        assertTokensStayInTheirStore(dir, said.toString());
        try (var logout = SkyliftProcess.start(env, "logout")) {
            assertThat(logout.readLine()).isEqualTo("Signed out of 127.0.0.1.");
            assertThat(logout.waitFor(Duration.ofSeconds(60))).isZero();
        }
        try (var ls = SkyliftProcess.start(env, "ls")) {
            assertThat(ls.waitFor(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(ls.stderr()).contains("Not signed in: run `skylift login`");
        }
    }

    // The kept sign-in is in the token store alone (owner-only): not in the journal, settings or any
    // other file of the data folder, nor in anything a command printed.
    static void assertTokensStayInTheirStore(Path dataDir, String printed) throws Exception {
        Path store;
        try (var files = java.nio.file.Files.list(dataDir.resolve("tokens"))) {
            store = files.findFirst().orElseThrow();
        }
        var tokens = new com.fasterxml.jackson.databind.ObjectMapper().readTree(store.toFile());
        List<String> secrets = List.of(tokens.get("accessToken").asText(), tokens.get("refreshToken").asText());
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(store)))
                .isEqualTo("rw-------");
        try (var all = java.nio.file.Files.walk(dataDir)) {
            for (Path file : all.filter(java.nio.file.Files::isRegularFile).filter(f -> !f.equals(store)).toList()) {
                String content = new String(java.nio.file.Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    assertThat(content.contains(secret)).as(file + " holds a token").isFalse();
                }
            }
        }
        for (String secret : secrets) {
            assertThat(printed.contains(secret)).as("a command printed a token").isFalse();
        }
    }
}
