package io.skylift.locals3;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.CharArrayWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Set;

/**
 * Makes S3Proxy's HTTP exchange look like S3's where the AWS CRT's S3 client depends on it.
 *
 * <ul>
 *   <li><b>Answers carry a {@code Content-Length}</b>, as S3's always do. S3Proxy streams its XML without
 *   one; when the request carried {@code Expect: 100-continue} and needed no body (CreateMultipartUpload,
 *   most errors), Jetty then ends the answer by closing the connection, which HTTP allows but the CRT's
 *   HTTP client reads as empty ("Upload Id not found in create-multipart-upload response"). Object
 *   bodies are left alone: S3Proxy gives those their length already.</li>
 *   <li><b>Headers S3 accepts and S3Proxy does not know</b> (listed below) no longer make S3Proxy refuse
 *   the request with 501 NotImplemented. They stay readable by name, so signatures over them are still
 *   checked; S3Proxy simply does not act on them (the README lists this).</li>
 *   <li><b>{@code If-Unmodified-Since} compares whole seconds</b>, as S3's Last-Modified has no finer
 *   grain. S3Proxy compares the header's second against the file's millisecond time, so an object is
 *   "modified since" the very Last-Modified it reported; the transfer manager's resumed download then
 *   fails with 412.</li>
 * </ul>
 */
final class S3WireConformance implements Filter {

    /** {@code x-amz-mp-object-size}: the CRT states the object's size when completing a multipart upload. */
    static final Set<String> TOLERATED_HEADERS = Set.of("x-amz-mp-object-size");

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        var framed = new FramedResponse((HttpServletResponse) response);
        chain.doFilter(new ToleratedHeaders((HttpServletRequest) request), framed);
        framed.send();
    }

    /**
     * Leaves the tolerated headers out of the header names S3Proxy checks against what it supports, and
     * reads {@code If-Unmodified-Since} as the end of its second.
     */
    private static final class ToleratedHeaders extends HttpServletRequestWrapper {
        ToleratedHeaders(HttpServletRequest request) {
            super(request);
        }

        @Override
        public long getDateHeader(String name) {
            long date = super.getDateHeader(name);
            return date >= 0 && name.equalsIgnoreCase("If-Unmodified-Since") ? date + 999 : date;
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            var names = Collections.list(super.getHeaderNames());
            names.removeIf(name -> TOLERATED_HEADERS.contains(name.toLowerCase(Locale.ROOT)));
            return Collections.enumeration(names);
        }
    }

    /** Keeps what the handler writes as text until it is done, then sends it with its length. */
    private static final class FramedResponse extends HttpServletResponseWrapper {
        private final CharArrayWriter text = new CharArrayWriter(512);
        private PrintWriter writer;

        FramedResponse(HttpServletResponse response) {
            super(response);
        }

        @Override
        public PrintWriter getWriter() {
            if (writer == null) {
                writer = new PrintWriter(text);
            }
            return writer;
        }

        @Override
        public void flushBuffer() throws IOException {
            if (writer == null) {
                super.flushBuffer();
            }
        }

        void send() throws IOException {
            if (writer == null) {
                return;
            }
            writer.flush();
            String encoding = getCharacterEncoding();
            byte[] body = text.toString().getBytes(encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding));
            HttpServletResponse response = (HttpServletResponse) getResponse();
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }
}
