package io.skylift.locals3;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * Answers the faults a test armed in {@link Faults} the way S3 answers them, before S3Proxy sees the
 * request (or, for a fault after completing, in place of S3Proxy's answer).
 */
final class FaultInjection implements Filter {

    private final Faults faults;
    private final BlobStore store;

    FaultInjection(Faults faults, BlobStore store) {
        this.faults = faults;
        this.store = store;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        var http = (HttpServletRequest) request;
        var answer = (HttpServletResponse) response;
        ObjectPath object = ObjectPath.of(http);
        if (object != null && isObjectRead(http)
                && faults.readRefused(object.key(), () -> store.blobExists(object.bucket(), object.key()))) {
            refuseRead(http, answer);
            return;
        }
        if (object != null && isCreate(http) && faults.takeBusyCreate(object.key())) {
            S3WireConformance.refuse(answer, 503, "SlowDown", "Please reduce your request rate.");
            return;
        }
        Faults.CompleteFault fault = object != null && S3WireConformance.isComplete(http) ? faults.takeCompleteFault(object.key()) : null;
        if (fault != null) {
            if (fault.completes) {
                // S3Proxy flushes its answer as it writes it, so it is written nowhere and S3's refusal sent instead.
                chain.doFilter(request, new DiscardedResponse(answer));
            } else {
                http.getInputStream().transferTo(OutputStream.nullOutputStream());
            }
            S3WireConformance.refuse(answer, fault.status, fault.code, fault.message);
            return;
        }
        chain.doFilter(request, response);
    }

    // CreateMultipartUpload: POST /bucket/key?uploads
    private static boolean isCreate(HttpServletRequest request) {
        String query = request.getQueryString();
        return request.getMethod().equals("POST") && query != null && (query.equals("uploads") || query.startsWith("uploads&")
                || query.startsWith("uploads=") || query.contains("&uploads"));
    }

    // GetObject and HeadObject; a GET with an upload id lists an upload's parts.
    private static boolean isObjectRead(HttpServletRequest request) {
        return (request.getMethod().equals("GET") || request.getMethod().equals("HEAD")) && !S3WireConformance.namesUpload(request);
    }

    /** A response whose status, headers and body go nowhere. */
    private static final class DiscardedResponse extends HttpServletResponseWrapper {
        private final ServletOutputStream body = new ServletOutputStream() {
            @Override
            public void write(int b) {}

            @Override
            public void write(byte[] bytes, int offset, int length) {}

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException("written synchronously");
            }
        };
        private final PrintWriter text = new PrintWriter(Writer.nullWriter());

        DiscardedResponse(HttpServletResponse response) {
            super(response);
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return body;
        }

        @Override
        public PrintWriter getWriter() {
            return text;
        }

        @Override
        public boolean isCommitted() {
            return false;
        }

        @Override
        public void flushBuffer() {}

        @Override
        public void setStatus(int status) {}

        @Override
        public void sendError(int status) {}

        @Override
        public void sendError(int status, String message) {}

        @Override
        public void setHeader(String name, String value) {}

        @Override
        public void addHeader(String name, String value) {}

        @Override
        public void setIntHeader(String name, int value) {}

        @Override
        public void addIntHeader(String name, int value) {}

        @Override
        public void setDateHeader(String name, long date) {}

        @Override
        public void addDateHeader(String name, long date) {}

        @Override
        public void setContentType(String type) {}

        @Override
        public void setContentLength(int length) {}

        @Override
        public void setContentLengthLong(long length) {}

        @Override
        public void setCharacterEncoding(String encoding) {}
    }

    private static void refuseRead(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getMethod().equals("HEAD")) {
            // S3 answers a HEAD with the status alone.
            response.setStatus(403);
            response.setContentLength(0);
        } else {
            S3WireConformance.refuse(response, 403, "AccessDenied", "Access Denied");
        }
    }
}
