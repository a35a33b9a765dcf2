package io.skylift.sandbox;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.skylift.backend.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Plays API Gateway on 127.0.0.1: turns each HTTP request into the HTTP API (payload 2.0) event the
 * real handler receives, authorises it the way the JWT authorizer would (here from the sandbox's
 * two tokens), and writes the handler's response back.
 *
 * <p>Threads: a bounded pool of {@value #THREADS} workers with a queue of {@value #QUEUE}; the
 * handler is thread-safe.
 */
final class LocalApi implements AutoCloseable {

    static final int THREADS = 16;
    static final int QUEUE = 256;
    // API Gateway's own limit on a request body.
    private static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    // Routes API Gateway serves without the authorizer, as the deployment template configures them:
    // the client's configuration, and share links' pages and downloads (GET /s/{token}, /s/{token}/{file}).
    private static final Set<String> PUBLIC_PATHS = Set.of("/v1/config");
    private static final String PUBLIC_SHARES = "/s/";
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** Decides whether a bearer token is good, and what claims it carries; null when it is not. */
    interface Authorizer {
        Map<String, String> claims(String token);
    }

    private final HttpServer server;
    private final ThreadPoolExecutor workers;
    private final Handler handler;
    private final List<Authorizer> authorizers;
    private final SandboxContext context = new SandboxContext();

    private LocalApi(HttpServer server, ThreadPoolExecutor workers, Handler handler, List<Authorizer> authorizers) {
        this.server = server;
        this.workers = workers;
        this.handler = handler;
        this.authorizers = List.copyOf(authorizers);
    }

    /**
     * @param port        0 for any free port
     * @param authorizers asked in turn; the first to know the token decides
     */
    static LocalApi start(int port, Handler handler, List<Authorizer> authorizers) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        var workers = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                Thread.ofPlatform().name("sandbox-api-", 0).daemon(true).factory());
        var api = new LocalApi(server, workers, handler, authorizers);
        server.createContext("/", api::serve);
        server.setExecutor(workers);
        server.start();
        return api;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                write(exchange, 413, Map.of("content-type", "application/json"), "{\"message\":\"Request Entity Too Large\"}");
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            Map<String, String> claims = claims(exchange.getRequestHeaders().getFirst("Authorization"));
            if (claims == null && !PUBLIC_PATHS.contains(path) && !path.startsWith(PUBLIC_SHARES)) {
                // What API Gateway's JWT authorizer answers, before the function is ever called.
                write(exchange, 401, Map.of("content-type", "application/json", "www-authenticate", "Bearer"), "{\"message\":\"Unauthorized\"}");
                return;
            }
            APIGatewayV2HTTPResponse response = handler.handleRequest(event(exchange, path, body, claims), context);
            String responseBody = response.getBody();
            if (responseBody != null && response.getIsBase64Encoded()) {
                responseBody = new String(Base64.getDecoder().decode(responseBody), StandardCharsets.UTF_8);
            }
            write(exchange, response.getStatusCode(), response.getHeaders() == null ? Map.of() : response.getHeaders(), responseBody);
        }
    }

    private Map<String, String> claims(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        for (Authorizer authorizer : authorizers) {
            Map<String, String> claims = authorizer.claims(token);
            if (claims != null) {
                return claims;
            }
        }
        return null;
    }

    private static APIGatewayV2HTTPEvent event(HttpExchange exchange, String path, byte[] body, Map<String, String> claims) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        // API Gateway tells the function how it was reached; here that is always plain HTTP.
        headers.put("x-forwarded-proto", "http");
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Instant now = Instant.now();
        var http = RequestContext.Http.builder()
                .withMethod(exchange.getRequestMethod())
                .withPath(path)
                .withProtocol(exchange.getProtocol())
                .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                .withUserAgent(headers.get("user-agent"))
                .build();
        var context = RequestContext.builder()
                .withRequestId(UUID.randomUUID().toString())
                .withRouteKey("$default")
                .withStage("$default")
                .withApiId("sandbox")
                .withAccountId("000000000000")
                .withDomainName("127.0.0.1")
                .withTime(REQUEST_TIME.format(now))
                .withTimeEpoch(now.toEpochMilli())
                .withHttp(http);
        if (claims != null) {
            context.withAuthorizer(RequestContext.Authorizer.builder()
                    .withJwt(RequestContext.Authorizer.JWT.builder().withClaims(claims).withScopes(List.of()).build())
                    .build());
        }
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(path)
                .withRawQueryString(rawQuery == null ? "" : rawQuery)
                .withQueryStringParameters(query(rawQuery))
                .withHeaders(headers)
                .withBody(body.length == 0 ? null : new String(body, StandardCharsets.UTF_8))
                .withIsBase64Encoded(false)
                .withRequestContext(context.build())
                .build();
    }

    // API Gateway decodes parameters and joins repeated ones with commas.
    private static Map<String, String> query(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.merge(name, value, (a, b) -> a + "," + b);
        }
        return params;
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        return body.length > MAX_BODY_BYTES ? null : body;
    }

    private static void write(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
