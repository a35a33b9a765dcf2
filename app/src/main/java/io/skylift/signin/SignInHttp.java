package io.skylift.signin;

import okhttp3.OkHttpClient;

/**
 * The one HTTP client for signing in: the API's public sign-in settings, the identity provider's
 * discovery, token, refresh and revocation calls, from the window and the command line alike. It
 * carries no file bytes; transfers use the engine's own client. OkHttp clients are thread-safe and
 * meant to be shared, so its connections and threads are made once for the whole application.
 *
 * <pre>{@code
 * SignInConfig config = SignInConfig.fetch(SignInHttp.CLIENT, api);
 * OidcSignIn oidc = new OidcSignIn(SignInHttp.CLIENT, config);
 * }</pre>
 */
public final class SignInHttp {

    /** OkHttp's defaults (10 s to connect, read and write): every sign-in call is small. */
    public static final OkHttpClient CLIENT = new OkHttpClient();

    private SignInHttp() {}
}
