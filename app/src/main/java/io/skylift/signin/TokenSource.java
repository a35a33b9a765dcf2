package io.skylift.signin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The current sign-in token for the engine: refreshed a minute before it expires, and the refreshed
 * tokens stored again. Tokens from another issuer than the one the service names now are not used
 * (the engine then reports that the person must sign in again). Thread-safe.
 */
public final class TokenSource implements Supplier<String> {

    static final Duration EARLY = Duration.ofSeconds(60);

    private final OidcSignIn signIn;
    private final TokenStore store;
    private final String api;
    private final Clock clock;
    private Tokens tokens;

    public TokenSource(OidcSignIn signIn, TokenStore store, String api, Tokens tokens, Clock clock) {
        this.signIn = signIn;
        this.store = store;
        this.api = api;
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    public synchronized String get() {
        try {
            signIn.requireIssuerOf(tokens);
            if (clock.instant().plus(EARLY).isAfter(tokens.expiresAt())) {
                tokens = signIn.refresh(tokens);
                store.save(api, tokens);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        return tokens.bearer();
    }

    public synchronized Tokens tokens() {
        return tokens;
    }
}
