package io.skylift.engine;

/**
 * The engine's one exception type: a reason a program can act on, a message a person can act on
 * (what happened and what to do), and whether trying again later may succeed.
 *
 * <p>Messages never contain presigned URLs or tokens.
 */
public final class TransferException extends RuntimeException {

    /** What kind of trouble it is. */
    public enum Reason {
        /** The request itself is wrong (bad name, file too large, ...): fix it and start again. */
        BAD_REQUEST,
        /** The token is missing, wrong or expired: sign in again. */
        UNAUTHORIZED,
        /** Signed in, but not allowed to do this. */
        FORBIDDEN,
        NOT_FOUND,
        /** A file of that name already exists, remotely or locally. */
        EXISTS,
        /** The local file changed since the transfer planned it. */
        FILE_CHANGED,
        /** The local file or folder cannot be read or written (permissions, missing, disk full). */
        LOCAL_IO,
        /** The remote file changed while it was being downloaded. */
        REMOTE_CHANGED,
        /** The remote file is archived (Glacier) or being restored: restore it, then download it. */
        ARCHIVED,
        /** Integrity check failed after the transfer. */
        VERIFICATION,
        /** The network or the service is unavailable. */
        UNAVAILABLE,
        /** Anything else. */
        INTERNAL
    }

    private final Reason reason;
    private final boolean retryable;

    public TransferException(Reason reason, String message, boolean retryable) {
        this(reason, message, retryable, null);
    }

    public TransferException(Reason reason, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.retryable = retryable;
    }

    public Reason reason() {
        return reason;
    }

    public boolean isRetryable() {
        return retryable;
    }
}
