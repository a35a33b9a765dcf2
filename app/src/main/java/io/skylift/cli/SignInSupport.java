package io.skylift.cli;

import io.skylift.files.UserFolders;
import io.skylift.signin.OidcSignIn;
import io.skylift.signin.SignInConfig;
import io.skylift.signin.SignInHttp;
import io.skylift.signin.TokenSource;
import io.skylift.signin.TokenStore;
import io.skylift.signin.TokenStores;
import io.skylift.signin.Tokens;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;

/** The command line's side of sign-in: finding a stored sign-in for an API and keeping it fresh. */
final class SignInSupport {

    private SignInSupport() {}

    static TokenStore store() {
        return TokenStores.forThisComputer(UserFolders.data());
    }

    static OidcSignIn oidc(URI api) throws IOException {
        SignInConfig config = SignInConfig.fetch(SignInHttp.CLIENT, api);
        if (!config.available()) {
            throw new IOException("The Skylift service at " + api + " does not offer browser sign-in; use the token your administrator gave you (SKYLIFT_TOKEN).");
        }
        return new OidcSignIn(SignInHttp.CLIENT, config);
    }

    /** A refreshing token for {@code api} from a previous `skylift login`, if there is one. */
    static Optional<TokenSource> stored(URI api) throws IOException {
        TokenStore store = store();
        Optional<Tokens> tokens = store.load(api.toString());
        if (tokens.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TokenSource(oidc(api), store, api.toString(), tokens.get(), Clock.systemUTC()));
    }
}
