package io.skylift.signin;

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
 * identity provider knows, one request, then it closes. The page it answers tells the person to go
 * back to Skylift.
 */
final class LoopbackReceiver implements AutoCloseable {

    private static final String PATH = "/callback";
    private static final String PAGE = "<!doctype html><html><head><meta charset=utf-8><title>Skylift</title></head>"
            + "<body style=\"font-family:sans-serif;text-align:center;margin-top:15%%\"><h1>%s</h1><p>%s</p></body></html>";

    private final HttpServer server;
    private final CompletableFuture<Map<String, String>> answer = new CompletableFuture<>();

    private LoopbackReceiver(HttpServer server) {
        this.server = server;
        server.createContext(PATH, exchange -> {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            boolean ok = query.containsKey("code");
            byte[] page = PAGE.formatted(ok ? "You are signed in" : "Sign-in did not finish",
                    ok ? "You can close this tab and go back to Skylift." : "Go back to Skylift and try again.").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
            answer.complete(query);
        });
        server.start();
    }

    /** @param ports the ports registered with the identity provider, tried in turn; 0 for any */
    static LoopbackReceiver open(List<Integer> ports) throws IOException {
        BindException last = null;
        for (int port : ports) {
            try {
                return new LoopbackReceiver(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4));
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
