package io.skylift.backend.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.skylift.backend.identity.Claims;
import io.skylift.backend.identity.Identity;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of an API Gateway HTTP API (payload 2.0) event that routes use.
 *
 * <p>Identity is read lazily: public routes never look at it, protected ones fail with 401 when
 * it is missing.
 */
public final class ApiRequest {

    /** Requests are small JSON documents (the largest, a complete listing 10,000 part checksums, is
     * about 400 KB); anything bigger is a client bug or an attack. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private final String method;
    private final String path;
    private final Map<String, String> query;
    private final String body;
    private final Map<String, String> claims;
    private final String requestId;
    private final Map<String, String> headers;
    private final String stagePrefix;
    private Map<String, String> pathParams = Map.of();

    private ApiRequest(String method, String path, Map<String, String> query, String body,
                       Map<String, String> claims, String requestId, Map<String, String> headers, String stagePrefix) {
        this.method = method;
        this.path = path;
        this.query = query;
        this.body = body;
        this.claims = claims;
        this.requestId = requestId;
        this.headers = headers;
        this.stagePrefix = stagePrefix;
    }

    public static ApiRequest from(APIGatewayV2HTTPEvent event, String requestId) {
        var context = event.getRequestContext();
        String method = context != null && context.getHttp() != null ? context.getHttp().getMethod() : null;
        if (method == null) {
            throw ApiError.badRequest("REQUEST_INVALID", "The request has no HTTP method.");
        }
        String path = stripStage(event.getRawPath(), context.getStage());
        Map<String, String> claims = context.getAuthorizer() != null && context.getAuthorizer().getJwt() != null
                ? context.getAuthorizer().getJwt().getClaims()
                : null;
        Map<String, String> query = event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
        Map<String, String> headers = new java.util.HashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((name, value) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), value));
        }
        String stage = context.getStage();
        String stagePrefix = stage == null || stage.equals("$default") || path.equals(event.getRawPath()) ? "" : "/" + stage;
        return new ApiRequest(method.toUpperCase(java.util.Locale.ROOT), path, query, body(event), claims, requestId,
                headers, stagePrefix);
    }

    private static String body(APIGatewayV2HTTPEvent event) {
        String raw = event.getBody();
        if (raw == null) {
            return null;
        }
        if (raw.length() > MAX_BODY_BYTES * 4 / 3 + 4) {
            throw ApiError.tooLarge("BODY_TOO_LARGE", "Request bodies are limited to " + MAX_BODY_BYTES / 1024 + " KiB.");
        }
        String text = event.getIsBase64Encoded()
                ? new String(Base64.getDecoder().decode(raw), StandardCharsets.UTF_8)
                : raw;
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw ApiError.tooLarge("BODY_TOO_LARGE", "Request bodies are limited to " + MAX_BODY_BYTES / 1024 + " KiB.");
        }
        return text;
    }

    // A named stage appears as the first path segment; the $default stage adds nothing.
    private static String stripStage(String rawPath, String stage) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        if (stage != null && !stage.equals("$default") && path.startsWith("/" + stage + "/")) {
            return path.substring(stage.length() + 1);
        }
        return path;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** A request header (names are case-insensitive, as in HTTP), empty when absent. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT))).filter(v -> !v.isBlank());
    }

    /** What a named stage adds in front of every path ({@code /prod}), empty for the $default stage. */
    public String stagePrefix() {
        return stagePrefix;
    }

    public String requestId() {
        return requestId;
    }

    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name)).filter(v -> !v.isEmpty());
    }

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    void pathParams(Map<String, String> params) {
        this.pathParams = Map.copyOf(params);
    }

    /** @throws ApiError 401 if the authorizer passed no usable identity */
    public Identity identity() {
        return Claims.identity(claims);
    }

    public <T> T body(Class<T> type) {
        return Json.read(body, type);
    }
}
