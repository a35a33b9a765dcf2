package io.skylift.backend.http;

import io.skylift.backend.identity.Identity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps {@code METHOD /path} to a route and decides, before the route runs, whether the caller may
 * reach it at all. Path templates use {@code {name}} for one segment.
 *
 * <p>Immutable after construction; safe for concurrent use.
 */
public final class Router {

    /** Who may reach a route. */
    public enum Access {
        /** No token needed. */
        PUBLIC,
        /** Any valid token, even of a user in no group. */
        SIGNED_IN,
        /** A token of a user in a known group (photographers or staff). */
        MEMBER
    }

    /** A route's work; {@code caller} is null on public routes. */
    @FunctionalInterface
    public interface Action {
        ApiResponse handle(ApiRequest request, Identity caller);
    }

    private record Route(String method, String template, String[] segments, Access access, Action action) {}

    /** A matched route, ready to run; its template names it in logs without leaking path values. */
    public record Match(String name, Access access, Action action, Map<String, String> params) {
        public ApiResponse run(ApiRequest request) {
            request.pathParams(params);
            Identity caller = switch (access) {
                case PUBLIC -> null;
                case SIGNED_IN -> request.identity();
                case MEMBER -> {
                    Identity identity = request.identity();
                    if (!identity.isMember()) {
                        throw ApiError.forbidden("NO_ROLE",
                                "Your account is in neither the photographers nor the staff group; ask your administrator to add you.");
                    }
                    yield identity;
                }
            };
            return action.handle(request, caller);
        }
    }

    private final List<Route> routes = new ArrayList<>();

    public Router add(String method, String template, Access access, Action action) {
        routes.add(new Route(method, template, template.substring(1).split("/"), access, action));
        return this;
    }

    /** @throws ApiError 404 for an unknown path, 405 for a known path with another method */
    public Match match(String method, String path) {
        String[] segments = path.length() > 1 && path.startsWith("/") ? path.substring(1).split("/", -1) : new String[] {""};
        boolean pathKnown = false;
        for (Route route : routes) {
            Map<String, String> params = bind(route.segments(), segments);
            if (params == null) {
                continue;
            }
            pathKnown = true;
            if (route.method().equals(method)) {
                return new Match(route.method() + " " + route.template(), route.access(), route.action(), params);
            }
        }
        if (pathKnown) {
            throw new ApiError(405, "METHOD_NOT_ALLOWED", method + " is not supported on this path.", false);
        }
        throw ApiError.notFound("ROUTE_NOT_FOUND", "There is no such API route; check the API URL (it should end before /v1).");
    }

    private static Map<String, String> bind(String[] template, String[] actual) {
        if (template.length != actual.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                if (actual[i].isEmpty()) {
                    return null;
                }
                params.put(t.substring(1, t.length() - 1), actual[i]);
            } else if (!t.equals(actual[i])) {
                return null;
            }
        }
        return params;
    }
}
