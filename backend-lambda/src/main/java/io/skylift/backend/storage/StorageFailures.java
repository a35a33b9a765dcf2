package io.skylift.backend.storage;

import io.skylift.backend.http.ApiError;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns an S3 failure that no route expected into an {@link ApiError}. Each branch says whether
 * the client can fix it by retrying; none echoes S3's message, which can name the bucket.
 */
public final class StorageFailures {

    private StorageFailures() {}

    public static ApiError map(SdkException failure) {
        if (failure instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? "" : s3.awsErrorDetails().errorCode();
            // Throttling: the client backs off and retries.
            if (s3.statusCode() == 503 || "SlowDown".equals(code) || s3.statusCode() == 429) {
                return new ApiError(503, "STORAGE_BUSY", "Storage is busy; try again shortly.", true);
            }
            // S3's own trouble: transient by S3's contract.
            if (s3.statusCode() >= 500) {
                return new ApiError(503, "STORAGE_UNAVAILABLE", "Storage is temporarily unavailable; try again shortly.", true);
            }
            // Denied or missing bucket: the deployment is wrong, not the request; retrying will not help.
            return new ApiError(500, "STORAGE_ERROR",
                    "Storage refused the service's request (" + code + "); tell your administrator.", false);
        }
        if (failure instanceof SdkClientException) {
            // Network or timeout between the function and S3.
            return new ApiError(503, "STORAGE_UNREACHABLE", "Storage could not be reached; try again shortly.", true);
        }
        return new ApiError(500, "STORAGE_ERROR", "Unexpected storage failure; try again or tell your administrator.", true);
    }

    /** An S3 error code fit to quote to a user: S3's codes are short words; anything else is not quoted. */
    public static String safeCode(String code) {
        return code != null && code.matches("[A-Za-z0-9.]{1,64}") ? code : "unknown";
    }

    public static String code(S3Exception e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "" : e.awsErrorDetails().errorCode();
    }
}
