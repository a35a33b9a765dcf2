package io.skylift.backend.signing;

import java.time.Instant;
import java.util.Map;

/**
 * A presigned request as the client receives it: the URL, the headers it must send exactly as
 * given (they are part of the signature), and when the URL stops working.
 *
 * <p>The URL is a credential until it expires: it is never logged or stored.
 */
public record SignedRequest(String url, Map<String, String> headers, Instant expiresAt) {

    @Override
    public String toString() {
        return "SignedRequest[url=<hidden>, headers=" + headers.keySet() + ", expiresAt=" + expiresAt + "]";
    }
}
