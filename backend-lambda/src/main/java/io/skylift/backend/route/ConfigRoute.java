package io.skylift.backend.route;

import io.skylift.backend.Config;
import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.http.Router;
import io.skylift.backend.identity.Identity;
import java.util.List;

/** {@code GET /v1/config}: what a client needs to sign in. Public: it is asked before sign-in. */
public final class ConfigRoute implements Router.Action {

    public record Response(String apiVersion, String issuer, String clientId, List<String> scopes) {}

    private final Config.SignIn signIn;

    public ConfigRoute(Config.SignIn signIn) {
        this.signIn = signIn;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Identity caller) {
        return ApiResponse.ok(new Response("v1", signIn.issuer(), signIn.clientId(), signIn.scopes()));
    }
}
