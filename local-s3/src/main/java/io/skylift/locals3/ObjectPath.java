package io.skylift.locals3;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Bucket and key of a path-style object request. */
record ObjectPath(String bucket, String key) {

    /** The object a request names, or null when it names a bucket or the service. */
    static ObjectPath of(HttpServletRequest request) {
        String path = decodedPath(request);
        int slash = path.indexOf('/', 1);
        return slash < 0 || slash == path.length() - 1 ? null : new ObjectPath(path.substring(1, slash), path.substring(slash + 1));
    }

    /** The bucket a bucket-level request (a listing) names, or null when it names an object or the service. */
    static String bucketOf(HttpServletRequest request) {
        String path = decodedPath(request);
        int slash = path.indexOf('/', 1);
        String bucket = slash < 0 ? path.substring(1) : slash == path.length() - 1 ? path.substring(1, slash) : null;
        return bucket == null || bucket.isEmpty() ? null : bucket;
    }

    private static String decodedPath(HttpServletRequest request) {
        // A '+' in a path is a plus, not a space.
        return URLDecoder.decode(request.getRequestURI().replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
