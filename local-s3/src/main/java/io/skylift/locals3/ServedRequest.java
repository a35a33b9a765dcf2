package io.skylift.locals3;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Optional;

/**
 * The HTTP request S3Proxy is serving on this thread, for the few store decisions that need a header
 * S3Proxy does not hand its store (a copy's {@code If-None-Match} and {@code x-amz-checksum-algorithm}).
 * S3Proxy serves a request on the thread that received it, so the value is bound for exactly that call.
 */
final class ServedRequest {

    private static final ScopedValue<HttpServletRequest> CURRENT = ScopedValue.newInstance();

    /** What is served with the request bound. */
    interface Exchange {
        void serve() throws IOException, ServletException;
    }

    private ServedRequest() {}

    static void serve(HttpServletRequest request, Exchange exchange) throws IOException, ServletException {
        try {
            ScopedValue.where(CURRENT, request).call(() -> {
                exchange.serve();
                return null;
            });
        } catch (IOException | ServletException | RuntimeException e) {
            throw e;
        } catch (Exception unexpected) {
            throw new IllegalStateException(unexpected);
        }
    }

    /** A header of the request being served; empty outside one (a store call made by the store itself). */
    static Optional<String> header(String name) {
        return CURRENT.isBound() ? Optional.ofNullable(CURRENT.get().getHeader(name)) : Optional.empty();
    }
}
