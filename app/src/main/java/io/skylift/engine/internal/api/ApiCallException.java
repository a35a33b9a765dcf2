package io.skylift.engine.internal.api;

import io.skylift.engine.TransferException;
import io.skylift.engine.TransferException.Reason;

/**
 * A refused or failed call to the Skylift API, with the status and the API's error code, so the
 * engine can act on specific answers (e.g. {@code UPLOAD_NOT_FOUND}) before telling the user.
 */
public final class ApiCallException extends RuntimeException {

    private final int status;
    private final String code;
    private final boolean retryable;

    public ApiCallException(int status, String code, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code == null ? "" : code;
        this.retryable = retryable;
    }

    /** 0 when no answer came (network). */
    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public boolean isRetryable() {
        return retryable;
    }

    /**
     * The file is archived, or its restore still runs: only a finished restore helps, in minutes
     * to hours, so the same call is not tried again within a transfer's backoff.
     */
    public boolean archived() {
        return code.equals("OBJECT_ARCHIVED") || code.equals("RESTORE_IN_PROGRESS");
    }

    /**
     * Storage refused to complete the upload because another operation raced it, and nothing is
     * stored under its name: the same call cannot succeed, the upload must begin again.
     */
    public boolean startsOver() {
        return code.equals("UPLOAD_CONFLICT");
    }

    /**
     * What the user sees: the reason class and the API's own words. A move's source that changed
     * meanwhile reads as a remote file that changed; a restore of a file that is not archived as a
     * request to change; two writes to one name at once as busy (the same move again can succeed); a
     * move or upload id that expired as gone, like a move storage no longer holds.
     */
    public TransferException toTransferException() {
        Reason reason = switch (status) {
            case 0 -> Reason.UNAVAILABLE;
            case 401 -> Reason.UNAUTHORIZED;
            case 403 -> Reason.FORBIDDEN;
            case 404, 410 -> Reason.NOT_FOUND;
            case 409 -> switch (code) {
                case "OBJECT_EXISTS", "OBJECT_DIFFERS" -> Reason.EXISTS;
                case "OBJECT_ARCHIVED", "RESTORE_IN_PROGRESS" -> Reason.ARCHIVED;
                case "SOURCE_CHANGED" -> Reason.REMOTE_CHANGED;
                case "NOT_ARCHIVED" -> Reason.BAD_REQUEST;
                case "MOVE_CONFLICT" -> Reason.UNAVAILABLE;
                default -> Reason.INTERNAL;
            };
            case 413, 400 -> Reason.BAD_REQUEST;
            case 422 -> Reason.VERIFICATION;
            default -> status >= 500 || status == 429 ? Reason.UNAVAILABLE : Reason.INTERNAL;
        };
        return new TransferException(reason, getMessage(), retryable && !archived(), this);
    }
}
