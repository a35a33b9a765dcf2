package io.skylift.engine.internal.retry;

import java.time.Duration;

/**
 * Every decision about a failed part or range request, in one place. Uploads and downloads ask
 * here; nothing else decides to retry.
 */
public final class RetryPolicy {

    /** What to do about a failure. */
    public sealed interface Decision permits Retry, Resign, Verify, GiveUp {}

    /** Try the same request again after {@code delay}; counts as an attempt. */
    public record Retry(Duration delay) implements Decision {}

    /** The URL expired: fetch a new one and try at once; does not count as a failed attempt. */
    public record Resign() implements Decision {}

    /** Storage says the bytes do not match their checksum: check whether the local file changed. */
    public record Verify() implements Decision {}

    /** Stop; {@code resumable} says whether the transfer can be paused and resumed later. */
    public record GiveUp(String why, boolean resumable) implements Decision {}

    private final Backoff backoff;

    public RetryPolicy(Backoff backoff) {
        this.backoff = backoff;
    }

    /**
     * New URLs one part may get after expiry refusals. Far more than a part ever needs; reached only
     * when every fresh URL is refused as expired (clocks that disagree), and then asking again
     * forever would only hammer the API.
     */
    public static final int MAX_RESIGNS = 5;

    /** @param attempts failed attempts so far for this part, this one included */
    public Decision decide(PartFailure failure, int attempts) {
        return decide(failure, attempts, 0);
    }

    /**
     * @param attempts failed attempts so far for this part, this one included
     * @param resigned new URLs this part already got after expiry refusals
     */
    public Decision decide(PartFailure failure, int attempts, int resigned) {
        // A dropped, reset or stalled connection: the network may come back.
        if (failure.isNetwork()) {
            return retryOrPause(attempts, "the network failed (" + failure.describe() + ")");
        }
        int status = failure.status();
        String code = failure.s3Code() == null ? "" : failure.s3Code();
        // S3 refuses a presigned URL after its expiry (403), or one signed with session credentials
        // that expired meanwhile (400 ExpiredToken): a new signature fixes it, it is nobody's failure.
        if ((status == 403 && isExpiry(failure)) || code.equals("ExpiredToken")) {
            return resigned < MAX_RESIGNS ? new Resign()
                    : new GiveUp("storage refused " + resigned + " new links for one part as expired; check that this computer's"
                            + " date and time are right", true);
        }
        // The part's bytes did not match the CRC32C signed into its URL: the file may have changed.
        if (code.equals("BadDigest") || code.equals("XAmzContentChecksumMismatch")) {
            return new Verify();
        }
        // S3 gave up waiting for the body (a slow or stalled client): sending again can succeed.
        if (code.equals("RequestTimeout")) {
            return retryOrPause(attempts, "storage timed out waiting for the data");
        }
        // Throttling and S3's own trouble are transient by S3's contract.
        if (status == 429 || status == 500 || status == 502 || status == 503 || status == 504 || code.equals("SlowDown")) {
            return retryOrPause(attempts, "storage is busy or unavailable (" + failure.describe() + ")");
        }
        // The object changed under a download (If-Match): retrying cannot help.
        if (status == 412) {
            return new GiveUp("the file changed in storage while it was being downloaded", false);
        }
        // The upload was cancelled or expired in storage: resuming it cannot work.
        if (status == 404 && code.equals("NoSuchUpload")) {
            return new GiveUp("the upload no longer exists in storage (cancelled or expired)", false);
        }
        // Any other refusal (signature, permissions): the same request will be refused again.
        return new GiveUp("storage refused the request (" + failure.describe() + ")", true);
    }

    /** After a checksum refusal the local file turned out unchanged: retry as for a network fault. */
    public Decision afterVerified(int attempts) {
        return retryOrPause(attempts, "storage refused the data as corrupted");
    }

    private Decision retryOrPause(int attempts, String why) {
        if (backoff.exhausted(attempts)) {
            return new GiveUp(why + " after " + attempts + " attempts", true);
        }
        return new Retry(backoff.delayAfter(attempts));
    }

    private static boolean isExpiry(PartFailure failure) {
        String message = failure.s3Message() == null ? "" : failure.s3Message().toLowerCase(java.util.Locale.ROOT);
        return message.contains("expired");
    }
}
