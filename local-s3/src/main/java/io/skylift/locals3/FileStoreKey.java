package io.skylift.locals3;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The keys S3Proxy's filesystem store can hold. It keeps each object as a file named by its key, so
 * a key with a {@code .} or {@code ..} segment resolves to another path ({@code a/../../x} lands
 * outside the bucket's folder) and {@code a//b} becomes {@code a/b}. S3 keeps such keys as they are;
 * the sandbox refuses them rather than write where it must not. Thread-safe (stateless).
 */
final class FileStoreKey {

    static final String REFUSAL = "The sandbox keeps objects as files and cannot hold a key with a '.', '..' or empty segment"
            + " (S3 can); no object was written or read.";

    /** A refused request's body is read up to this much; a larger one is cut off with the connection. */
    static final int BODY_READ_BEFORE_REFUSAL = 1024 * 1024;

    private FileStoreKey() {}

    /** False when the object a request names, or the source it copies, has a segment the store would resolve. */
    static boolean holdable(HttpServletRequest request) {
        ObjectPath target = ObjectPath.of(request);
        if (target != null && !holdable(target.key())) {
            return false;
        }
        String source = request.getHeader("x-amz-copy-source");
        if (source == null) {
            return true;
        }
        String path = source.contains("?") ? source.substring(0, source.indexOf('?')) : source;
        path = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        path = path.startsWith("/") ? path.substring(1) : path;
        int slash = path.indexOf('/');
        return slash < 0 || holdable(path.substring(slash + 1));
    }

    static boolean holdable(String key) {
        for (String segment : key.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        // A trailing '/' is a folder marker the store keeps; an empty segment anywhere else collapses.
        String body = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
        return !body.isEmpty() && !body.startsWith("/") && !body.contains("//");
    }
}
