package io.skylift.locals3;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.CharArrayWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * Keeps what the handler writes as text (S3Proxy's XML answers) until it is done, then sends it with
 * its length, changed first where a filter needs to. Object bodies, written as bytes, pass straight through.
 */
final class FramedResponse extends HttpServletResponseWrapper {
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

    /** Sends the text as it was written; nothing when the answer was not text. */
    void send() throws IOException {
        send(UnaryOperator.identity());
    }

    /** Sends the text as {@code rewrite} makes it; nothing when the answer was not text. */
    void send(UnaryOperator<String> rewrite) throws IOException {
        if (writer == null) {
            return;
        }
        writer.flush();
        String encoding = getCharacterEncoding();
        byte[] body = rewrite.apply(text.toString())
                .getBytes(encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding));
        HttpServletResponse response = (HttpServletResponse) getResponse();
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
