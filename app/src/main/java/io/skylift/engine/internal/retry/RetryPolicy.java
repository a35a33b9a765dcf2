package io.skylift.engine.internal.retry;

import java.time.Duration;

/**
 * Every decision about a failed attempt, in one place: part PUTs, single PUTs, range GETs (with
 * {@link Backoff#PARTS}) and calls to the Skylift API (with {@link Backoff#API}). Nothing else decides
 * to retry: OkHttp is told not to ({@code retryOnConnectionFailure(false)}, one-shot bodies). Stateless
 * but for its {@link Congestion} listener, and thread-safe; callers count their own attempts.
 *
 * <h2>The budget of one part</h2>
 * Within one run of a transfer (a resume starts afresh), the sends of one part that reach storage are at most
 * <pre>
 *   sends(part) ≤ PARTS.maxAttempts                  network failures, 5xx, 429, RequestTimeout, checksum refusals
 *                + MAX_RESIGNS                        sends refused as expired and re-signed (not counted as attempts)
 *              = 8 + 5 = 13
 * </pre>
 * A send refused for its checksum ({@link Verify}) counts as an attempt like a network failure, so the
 * re-verification path adds nothing beyond {@code PARTS.maxAttempts}; it re-reads the part and re-signs its
 * checksum before the next send. With no expiry refusal a part is sent at most {@code PARTS.maxAttempts}
 * times; any other refusal stops at once. A single PUT has the same budget, its re-signs being new creates.
 * A range GET too. A failed signing or download-link call inside a part job is retried as a backend call
 * (below), as a delayed resubmit of the job, and sends nothing to storage.
 *
 * <p>A backend call is made at most {@code API.maxAttempts} = 5 times, when it fails for the network, 429,
 * 5xx or an answer marked retryable.
 *
 * <pre>{@code
 * switch (policy.decide(failure, ++attempts, resigns)) {
 *     case RetryPolicy.Retry r -> lane.submitAfter(job, r.delay());
 *     ...
 * }
 * }</pre>
 */
public final class RetryPolicy {

    /** What to do about a failure. */
    public sealed interface Decision permits Retry, Resign, Verify, RemoteChanged, Archived, GiveUp {}

    /** Try the same request again after {@code delay}; counts as an attempt. */
    public record Retry(Duration delay) implements Decision {}

    /** The URL expired: fetch a new one and try at once; does not count as a failed attempt. */
    public record Resign() implements Decision {}

    /** Storage says the bytes do not match their checksum: check whether the local file changed. */
    public record Verify() implements Decision {}

    /** The object changed in storage under a download (its If-Match failed): this download cannot finish. */
    public record RemoteChanged() implements Decision {}

    /**
     * The object lies in an archive storage class and is not restored (S3's 403 InvalidObjectState on
     * a GET): no retry helps before a restore, which takes minutes to hours.
     */
    public record Archived() implements Decision {}

    /** Stop; {@code resumable} says whether the transfer can be paused and resumed later. */
    public record GiveUp(String why, boolean resumable) implements Decision {}

    /**
     * Hears of each retry of a part or range this policy decides because storage or the network
     * pushed back: a network failure or timeout, 429, 5xx, SlowDown, RequestTimeout (not an expired
     * URL, a checksum refusal or a backend call). The connection governor halves the connections on
     * it. Called on the thread that asked, before the decision is returned; must not block.
     */
    @FunctionalInterface
    public interface Congestion {
        Congestion NONE = () -> {};

        void signalled();
    }

    private final Backoff backoff;
    private final Congestion congestion;

    public RetryPolicy(Backoff backoff) {
        this(backoff, Congestion.NONE);
    }

    public RetryPolicy(Backoff backoff, Congestion congestion) {
        this.backoff = backoff;
        this.congestion = congestion;
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
            return pushedBack(retryOrPause(attempts, "the network failed (" + failure.describe() + ")"));
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
            return pushedBack(retryOrPause(attempts, "storage timed out waiting for the data"));
        }
        // Throttling and S3's own trouble are transient by S3's contract.
        if (status == 429 || status == 500 || status == 502 || status == 503 || status == 504 || code.equals("SlowDown")) {
            return pushedBack(retryOrPause(attempts, "storage is busy or unavailable (" + failure.describe() + ")"));
        }
        // The object changed under a download (If-Match): retrying cannot help.
        if (status == 412) {
            return new RemoteChanged();
        }
        // Archived (Glacier, Deep Archive, an Intelligent-Tiering archive tier): only a restore makes it readable.
        if (status == 403 && code.equals("InvalidObjectState")) {
            return new Archived();
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

    /**
     * A backend call failed; {@code transientFailure} when it may succeed later (the network, 429, 5xx or
     * an answer marked retryable).
     *
     * @param attempts failed attempts of this call so far, this one included
     * @return a {@link Retry} or a {@link GiveUp}
     */
    public Decision decideCall(boolean transientFailure, int attempts, String why) {
        if (!transientFailure) {
            return new GiveUp(why, false);
        }
        return retryOrPause(attempts, why);
    }

    // A retry because storage or the network pushed back: fewer connections may be what it takes.
    private Decision pushedBack(Decision decision) {
        if (decision instanceof Retry) {
            congestion.signalled();
        }
        return decision;
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
