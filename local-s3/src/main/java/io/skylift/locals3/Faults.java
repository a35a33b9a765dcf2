package io.skylift.locals3;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Answers S3 gives in situations a single local server never reaches by itself, armed by a test: a
 * complete that races another operation on its key, and reads refused by the caller's permissions.
 * Nothing is armed unless a test arms it, so the sandbox answers as S3 does.
 *
 * <p>Thread-safe: a test arms a fault while the server answers other requests.
 *
 * <pre>{@code
 * s3.faults().conflictOnNextComplete("u/alice/IMG_0001.CR3");
 * // the next CompleteMultipartUpload of that key answers 409 ConditionalRequestConflict
 * }</pre>
 */
public final class Faults {

    /** What the next complete of an armed key meets: S3's refusal, sent before completing or after. */
    enum CompleteFault {
        BEFORE_COMPLETING(false, 409, "ConditionalRequestConflict", CompleteFault.RACED),
        AFTER_COMPLETING(true, 409, "ConditionalRequestConflict", CompleteFault.RACED),
        INVALID_PART(false, 400, "InvalidPart", CompleteFault.PART_GONE),
        INVALID_PART_AFTER_COMPLETING(true, 400, "InvalidPart", CompleteFault.PART_GONE);

        private static final String RACED = "A conflicting operation occurred. If using PutObject you can retry the"
                + " request. If using multipart upload you should initiate another CreateMultipartUpload request and"
                + " re-upload each part.";
        private static final String PART_GONE = "One or more of the specified parts could not be found. The part might"
                + " not have been uploaded, or the specified entity tag might not have matched the part's entity tag.";

        final boolean completes;
        final int status;
        final String code;
        final String message;

        CompleteFault(boolean completes, int status, String code, String message) {
            this.completes = completes;
            this.status = status;
            this.code = code;
            this.message = message;
        }
    }

    private final Map<String, CompleteFault> nextCompletes = new ConcurrentHashMap<>();
    private final Set<String> listedOpenAfterComplete = ConcurrentHashMap.newKeySet();
    private final Set<String> deniedPrefixes = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> busyCreates = new ConcurrentHashMap<>();
    private volatile boolean missingKeysForbidden;

    /**
     * The next CompleteMultipartUpload of {@code key} answers 409 {@code ConditionalRequestConflict} and
     * completes nothing, as S3 refuses a conditional complete that races another operation on the key.
     */
    public void conflictOnNextComplete(String key) {
        nextCompletes.put(key, CompleteFault.BEFORE_COMPLETING);
    }

    /**
     * The next CompleteMultipartUpload of {@code key} completes the upload and then answers 409
     * {@code ConditionalRequestConflict}: what a repeated complete sees when the first one finished at
     * the same moment.
     */
    public void conflictAfterNextComplete(String key) {
        nextCompletes.put(key, CompleteFault.AFTER_COMPLETING);
    }

    /**
     * The next CompleteMultipartUpload of {@code key} completes the upload and then answers 400
     * {@code InvalidPart}: what a repeated complete meets when it finds some parts already gone, removed
     * by an earlier complete of the same upload that has just stored the object. (S3Proxy's own complete
     * does this when the backend's S3 client retries a complete that outlasted its read timeout.)
     */
    public void invalidPartAfterNextComplete(String key) {
        nextCompletes.put(key, CompleteFault.INVALID_PART_AFTER_COMPLETING);
    }

    /**
     * The next CompleteMultipartUpload of {@code key} answers 400 {@code InvalidPart} and completes nothing,
     * as S3 refuses a complete naming a part it does not hold.
     */
    public void invalidPartOnNextComplete(String key) {
        nextCompletes.put(key, CompleteFault.INVALID_PART);
    }

    /**
     * The next CompleteMultipartUpload of {@code key} stores the object and removes its parts, but the upload
     * goes on being listed as open, with no parts: the moment inside S3Proxy's own complete between removing
     * the parts and removing the upload's record, which a repeated complete of the same upload can meet
     * (a client retries a complete that outlasted its read timeout while the first one goes on).
     */
    public void listedOpenAfterNextComplete(String key) {
        listedOpenAfterComplete.add(key);
    }

    /**
     * HEAD and GET of a key that does not exist answer 403 {@code AccessDenied} instead of 404, as S3
     * answers a caller that may not list the whole bucket ({@code s3:ListBucket} only under a prefix
     * condition, or not at all).
     */
    public void forbidMissingKeys() {
        missingKeysForbidden = true;
    }

    /**
     * HEAD and GET of every key under {@code prefix} answer 403 {@code AccessDenied}, whether it exists or
     * not, as S3 answers a caller without {@code s3:GetObject} there.
     */
    public void denyReadsUnder(String prefix) {
        deniedPrefixes.add(prefix);
    }

    /**
     * The next {@code count} CreateMultipartUpload calls for {@code key} answer 503 {@code SlowDown}, as S3
     * answers when a prefix takes more requests than it can serve for now.
     */
    public void slowDownNextCreates(String key, int count) {
        busyCreates.put(key, count);
    }

    /** Disarms every fault. */
    public void clear() {
        busyCreates.clear();
        nextCompletes.clear();
        listedOpenAfterComplete.clear();
        deniedPrefixes.clear();
        missingKeysForbidden = false;
    }

    /** The fault armed for this complete, disarmed as it is taken; null when none is armed. */
    CompleteFault takeCompleteFault(String key) {
        return nextCompletes.remove(key);
    }

    /** Whether the upload just completed for {@code key} is to go on being listed as open; disarmed as it is taken. */
    boolean takeListedOpenAfterComplete(String key) {
        return listedOpenAfterComplete.remove(key);
    }

    /** Whether this create of {@code key} is answered SlowDown; counts it down. */
    boolean takeBusyCreate(String key) {
        boolean[] busy = {false};
        busyCreates.computeIfPresent(key, (k, left) -> {
            busy[0] = true;
            return left <= 1 ? null : left - 1;
        });
        return busy[0];
    }

    /** Whether a read of {@code key} is refused; {@code exists} is asked only when it decides. */
    boolean readRefused(String key, BooleanSupplier exists) {
        for (String prefix : deniedPrefixes) {
            if (key.startsWith(prefix)) {
                return true;
            }
        }
        return missingKeysForbidden && !exists.getAsBoolean();
    }
}
