package io.skylift.signin;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * Signing out of a Skylift API on this computer: the kept sign-in is revoked at the identity
 * provider where that can be done, and forgotten here whatever the provider says (an unrevoked
 * refresh token expires by itself). Thread-safe; it makes network calls, so never on the JavaFX thread.
 *
 * <pre>{@code
 * SignOut.Outcome outcome = new SignOut(TokenStores.forThisComputer(dataDir)).signOut(api);
 * if (outcome.notRevoked() != null) { ... }   // forgotten here, but the provider kept it
 * }</pre>
 */
public final class SignOut {

    /**
     * What signing out did.
     *
     * @param wasSignedIn false when nothing was kept for the API (then nothing was done)
     * @param notRevoked  why the identity provider did not revoke the sign-in; null when it did or had no need to
     */
    public record Outcome(boolean wasSignedIn, String notRevoked) {}

    private final TokenStore store;

    public SignOut(TokenStore store) {
        this.store = store;
    }

    /** Revokes and forgets the sign-in kept for {@code api}, if there is one. */
    public Outcome signOut(URI api) throws IOException {
        Optional<Tokens> kept = store.load(api.toString());
        if (kept.isEmpty()) {
            return new Outcome(false, null);
        }
        return signOut(api, kept.get());
    }

    /** Revokes {@code tokens} (the sign-in in use, perhaps fresher than the kept one) and forgets the kept sign-in for {@code api}. */
    public Outcome signOut(URI api, Tokens tokens) throws IOException {
        String notRevoked = null;
        try {
            SignInConfig config = SignInConfig.fetch(SignInHttp.CLIENT, api);
            if (config.available()) {
                new OidcSignIn(SignInHttp.CLIENT, config).revoke(tokens);
            } else {
                notRevoked = "the service at " + api.getHost() + " no longer names an identity provider";
            }
        } catch (IOException e) {
            notRevoked = e.getMessage();
        }
        store.delete(api.toString());
        return new Outcome(true, notRevoked);
    }
}
