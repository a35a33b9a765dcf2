package io.skylift.backend.http;

/**
 * The one exception type of the backend: an HTTP status, a stable machine code, a message that
 * names the bad value and what to do, and whether retrying the same request can succeed.
 *
 * <p>Messages are shown to users: they never carry a presigned URL, a token or a secret.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    private final boolean retryable;

    public ApiError(int status, String code, String message, boolean retryable) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryable = retryable;
    }

    public static ApiError badRequest(String code, String message) {
        return new ApiError(400, code, message, false);
    }

    public static ApiError unauthenticated(String message) {
        return new ApiError(401, "UNAUTHENTICATED", message, false);
    }

    public static ApiError forbidden(String code, String message) {
        return new ApiError(403, code, message, false);
    }

    public static ApiError notFound(String code, String message) {
        return new ApiError(404, code, message, false);
    }

    public static ApiError conflict(String code, String message) {
        return new ApiError(409, code, message, false);
    }

    public static ApiError tooLarge(String code, String message) {
        return new ApiError(413, code, message, false);
    }

    public static ApiError unavailable(String code, String message) {
        return new ApiError(503, code, message, true);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public boolean isRetryable() {
        return retryable;
    }
}
