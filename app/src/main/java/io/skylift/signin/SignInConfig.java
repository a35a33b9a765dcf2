package io.skylift.signin;

import com.fasterxml.jackson.databind.JsonNode;
import io.skylift.json.Json;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * How a Skylift service wants people to sign in, as its public {@code GET /v1/config} says: an OIDC
 * issuer and the desktop app's client id. Both null for a service that uses plain tokens.
 */
public record SignInConfig(String issuer, String clientId, List<String> scopes) {

    public boolean available() {
        return issuer != null && !issuer.isBlank() && clientId != null && !clientId.isBlank();
    }

    public static SignInConfig fetch(OkHttpClient http, URI api) throws IOException {
        String url = api.toString().replaceAll("/+$", "") + "/v1/config";
        try (Response response = http.newCall(new Request.Builder().url(url).build()).execute()) {
            if (!response.isSuccessful()) {
                throw new IOException("The Skylift API at " + api + " answered HTTP " + response.code() + " for its sign-in settings.");
            }
            JsonNode config = Json.WIRE.readTree(response.body().string());
            List<String> scopes = new ArrayList<>();
            config.path("scopes").forEach(s -> scopes.add(s.asText()));
            return new SignInConfig(text(config, "issuer"), text(config, "clientId"), scopes.isEmpty() ? List.of("openid") : scopes);
        }
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
