package io.skylift.signin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Receives the sign-in redirect on 127.0.0.1 (RFC 8252 §7.3): the first free port of the ones the
 * identity provider knows, then it closes. Any program on the computer and any page in the browser
 * can reach that port, so only the answer to this sign-in ends the wait: a {@code /callback} with
 * this sign-in's {@code state} and a code or an error. Anything else is answered 400 (404 off the
 * path) and the wait goes on. The page it answers tells the person what happened. Requests are
 * handled one at a time on the server's own thread; the answer is handed over through a future.
 */
final class LoopbackReceiver implements AutoCloseable {

    private static final String PATH = "/callback";
    private static final String PAGE = "<!doctype html><html><head><meta charset=utf-8><title>Skylift</title></head>"
            + "<body style=\"font-family:sans-serif;text-align:center;margin-top:15%%\"><h1>%s</h1><p>%s</p></body></html>";

    private final HttpServer server;
    private final String state;
    private final CompletableFuture<Map<String, String>> answer = new CompletableFuture<>();

    private LoopbackReceiver(HttpServer server, String state) {
        this.server = server;
        this.state = state;
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> query;
        try {
            query = query(exchange.getRequestURI().getRawQuery());
        } catch (IllegalArgumentException badEscape) {
            query = Map.of();
        }
        if (!exchange.getRequestURI().getPath().equals(PATH)) {
            respond(exchange, 404, "Not found", "This is Skylift's sign-in listener.");
        } else if (!state.equals(query.get("state")) || !(query.containsKey("code") || query.containsKey("error"))) {
            // Not the answer to this sign-in (a forged or stale redirect, or a stray request): the real one may still come.
            respond(exchange, 400, "This is not the sign-in Skylift is waiting for",
                    "Go back to Skylift: it is still waiting for the sign-in it opened.");
        } else {
            boolean ok = !query.containsKey("error");
            respond(exchange, 200, ok ? "You are signed in" : "Sign-in did not finish",
                    ok ? "You can close this tab and go back to Skylift." : "Go back to Skylift and try again.");
            answer.complete(query);
        }
    }

    private static void respond(HttpExchange exchange, int status, String title, String text) throws IOException {
        byte[] page = PAGE.formatted(title, text).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(status, page.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(page);
        }
    }

    /**
     * @param ports the ports registered with the identity provider, tried in turn; 0 for any
     * @param state the {@code state} this sign-in sent: only an answer carrying it ends the wait
     */
    static LoopbackReceiver open(List<Integer> ports, String state) throws IOException {
        BindException last = null;
        for (int port : ports) {
            try {
                return new LoopbackReceiver(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4), state);
            } catch (BindException e) {
                last = e;
            }
        }
        throw new IOException("None of the sign-in ports " + ports + " is free on this computer; close what uses them and try again.", last);
    }

    /** The redirect URI to register: "localhost", which identity providers accept over plain HTTP. */
    URI redirectUri() {
        return URI.create("http://localhost:" + server.getAddress().getPort() + PATH);
    }

    /** Completes with the query of the answer to this sign-in: its state, and its code or error. */
    CompletableFuture<Map<String, String>> answer() {
        return answer;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    @Override
    public void close() {
        // A second for the answer page to reach the browser before the listener goes.
        server.stop(1);
    }
}
