package io.skylift.signin;

import java.time.Instant;

/**
 * What a sign-in yields. Credentials: never logged, never in the journal; kept only in the OS
 * credential store (or an owner-only file where there is none).
 *
 * @param refreshToken null when the issuer gave none
 * @param issuer       the OIDC issuer that made them, exactly as the service named it; kept with them so
 *                     that a service naming another issuer later is noticed (null in a sign-in kept by an
 *                     older Skylift, which is then not used)
 */
public record Tokens(String accessToken, String idToken, String refreshToken, Instant expiresAt, String issuer) {

    /** The token the API's JWT authorizer checks: the access token, else the ID token. */
    public String bearer() {
        return accessToken != null ? accessToken : idToken;
    }

    @Override
    public String toString() {
        return "Tokens[<hidden>, expiresAt=" + expiresAt + ", issuer=" + issuer + "]";
    }
}
