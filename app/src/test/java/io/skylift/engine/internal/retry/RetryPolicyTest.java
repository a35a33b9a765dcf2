package io.skylift.engine.internal.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.engine.internal.retry.RetryPolicy.Decision;
import io.skylift.engine.internal.retry.RetryPolicy.GiveUp;
import io.skylift.engine.internal.retry.RetryPolicy.Resign;
import io.skylift.engine.internal.retry.RetryPolicy.Retry;
import io.skylift.engine.internal.retry.RetryPolicy.Verify;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryPolicyTest {

    static final int MAX_ATTEMPTS = 4;
    static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), MAX_ATTEMPTS);

    final RetryPolicy policy = new RetryPolicy(BACKOFF);

    static final PartFailure EXPIRED = PartFailure.answer(403, "AccessDenied", "Request has expired");

    @Test
    void aNetworkFailureIsRetriedWithABackoffDelayUntilMaxAttemptsThenPausesResumably() {
        PartFailure reset = PartFailure.network(new IOException("Connection reset"));

        for (int attempts = 1; attempts < MAX_ATTEMPTS; attempts++) {
            Decision decision = policy.decide(reset, attempts);
            assertThat(decision).as("after %d attempts", attempts).isInstanceOf(Retry.class);
            long ceiling = Math.min(2_000, 100L << (attempts - 1));
            assertThat(((Retry) decision).delay().toMillis()).isBetween(0L, ceiling);
        }
        Decision last = policy.decide(reset, MAX_ATTEMPTS);
        assertThat(last).isInstanceOf(GiveUp.class);
        GiveUp giveUp = (GiveUp) last;
        assertThat(giveUp.resumable()).isTrue();
        assertThat(giveUp.why()).contains("network").contains("Connection reset").contains(MAX_ATTEMPTS + " attempts");
    }

    @Test
    void theCongestionListenerHearsOfEachRetryForPushBackAndOfNothingElse() {
        java.util.concurrent.atomic.AtomicInteger signals = new java.util.concurrent.atomic.AtomicInteger();
        RetryPolicy listened = new RetryPolicy(BACKOFF, signals::incrementAndGet);
        java.util.List<PartFailure> pushBack = java.util.List.of(
                PartFailure.network(new IOException("Connection reset")),
                PartFailure.network(new SocketTimeoutException("timeout")),
                PartFailure.answer(503, "SlowDown", "Please reduce your request rate."),
                PartFailure.answer(429, null, null),
                PartFailure.answer(500, "InternalError", "We encountered an internal error."),
                PartFailure.answer(400, "RequestTimeout", "Your socket connection to the server was not read from"));
        for (PartFailure failure : pushBack) {
            int before = signals.get();
            assertThat(listened.decide(failure, 1)).isInstanceOf(Retry.class);
            assertThat(signals.get()).as(failure.describe()).isEqualTo(before + 1);
        }

        int before = signals.get();
        // Out of attempts the transfer pauses: nothing is retried, so nothing is signalled.
        assertThat(listened.decide(pushBack.getFirst(), MAX_ATTEMPTS)).isInstanceOf(GiveUp.class);
        // Refusals that fewer connections would not mend.
        listened.decide(EXPIRED, 1);
        listened.decide(PartFailure.answer(400, "BadDigest", "The CRC32C you specified did not match"), 1);
        listened.decide(PartFailure.answer(412, "PreconditionFailed", "At least one of the preconditions did not hold"), 1);
        listened.decide(PartFailure.answer(403, "SignatureDoesNotMatch", "no"), 1);
        listened.decideCall(true, 1, "the API is busy");
        assertThat(signals.get()).isEqualTo(before);
    }

    @Test
    void anArchivedObjectIsNeverRetriedWhateverTheAttempt() {
        PartFailure archived = PartFailure.answer(403, "InvalidObjectState", "The operation is not valid for the object's storage class");

        assertThat(policy.decide(archived, 1)).isEqualTo(new RetryPolicy.Archived());
        assertThat(policy.decide(archived, 1, 0)).as("not mistaken for an expired URL").isEqualTo(new RetryPolicy.Archived());
    }

    @Test
    void aStalledConnectionCountsAsANetworkFailure() {
        PartFailure stalled = PartFailure.network(new SocketTimeoutException("timeout"));

        assertThat(policy.decide(stalled, 1)).isInstanceOf(Retry.class);
        assertThat(policy.decide(stalled, MAX_ATTEMPTS)).isEqualTo(new GiveUp(
                "the network failed (SocketTimeoutException: timeout) after " + MAX_ATTEMPTS + " attempts", true));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, MAX_ATTEMPTS, MAX_ATTEMPTS + 1, 1_000})
    void anExpiredUrlIsResignedWhateverTheNumberOfAttempts(int attempts) {
        assertThat(policy.decide(EXPIRED, attempts)).isEqualTo(new Resign());
    }

    @Test
    void urlsRefusedAsExpiredTimeAfterTimePauseTheTransferAndPointAtTheClock() {
        assertThat(policy.decide(EXPIRED, 1, RetryPolicy.MAX_RESIGNS - 1)).isEqualTo(new Resign());

        RetryPolicy.Decision decision = policy.decide(EXPIRED, 1, RetryPolicy.MAX_RESIGNS);

        assertThat(decision).isInstanceOfSatisfying(RetryPolicy.GiveUp.class, g -> {
            assertThat(g.resumable()).isTrue();
            assertThat(g.why()).contains("expired", "date and time");
        });
    }

    @Test
    void anExpiredTokenCodeIsResignedToo() {
        assertThat(policy.decide(PartFailure.answer(403, "ExpiredToken", null), MAX_ATTEMPTS)).isEqualTo(new Resign());
    }

    @Test
    void anExpiredTokenAsS3SendsItWithStatus400IsResigned() {
        assertThat(policy.decide(PartFailure.answer(400, "ExpiredToken", "The provided token has expired."), 1))
                .isEqualTo(new Resign());
    }

    @Test
    void anS3RequestTimeoutIsRetried() {
        PartFailure timeout = PartFailure.answer(400, "RequestTimeout",
                "Your socket connection to the server was not read from or written to within the timeout period.");

        assertThat(policy.decide(timeout, 1)).isInstanceOf(Retry.class);
    }

    @Test
    void expiryIsRecognisedWhateverTheCaseOfTheMessage() {
        assertThat(policy.decide(PartFailure.answer(403, "AccessDenied", "REQUEST HAS EXPIRED"), 1)).isEqualTo(new Resign());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, MAX_ATTEMPTS, 50})
    void aBadDigestAsksToVerifyTheLocalFile(int attempts) {
        PartFailure badDigest = PartFailure.answer(400, "BadDigest", "The CRC32C you specified did not match the calculated checksum.");

        assertThat(policy.decide(badDigest, attempts)).isEqualTo(new Verify());
    }

    @Test
    void aChecksumMismatchAsksToVerifyTheLocalFile() {
        assertThat(policy.decide(PartFailure.answer(400, "XAmzContentChecksumMismatch", "mismatch"), 1)).isEqualTo(new Verify());
    }

    @ParameterizedTest
    @CsvSource({
        "500, InternalError",
        "502, ",
        "503, ServiceUnavailable",
        "504, ",
        "429, TooManyRequests",
        "503, SlowDown",
        "400, SlowDown"})
    void storageTroubleAndThrottlingAreRetriedThenPauseResumably(int status, String code) {
        PartFailure busy = PartFailure.answer(status, code, "Please reduce your request rate.");

        assertThat(policy.decide(busy, 1)).isInstanceOf(Retry.class);
        assertThat(policy.decide(busy, MAX_ATTEMPTS - 1)).isInstanceOf(Retry.class);
        Decision last = policy.decide(busy, MAX_ATTEMPTS);
        assertThat(last).isInstanceOf(GiveUp.class);
        assertThat(((GiveUp) last).resumable()).isTrue();
        assertThat(((GiveUp) last).why()).contains("HTTP " + status);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, MAX_ATTEMPTS})
    void aPreconditionFailureSaysTheObjectChangedInStorage(int attempts) {
        Decision decision = policy.decide(PartFailure.answer(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold"), attempts);

        assertThat(decision).isEqualTo(new RetryPolicy.RemoteChanged());
    }

    @Test
    void aBackendCallThatMaySucceedLaterIsRetriedUpToItsAttemptsThenGivenUpResumably() {
        assertThat(policy.decideCall(true, 1, "the API is busy")).isInstanceOf(Retry.class);
        assertThat(policy.decideCall(true, MAX_ATTEMPTS - 1, "the API is busy")).isInstanceOf(Retry.class);
        assertThat(policy.decideCall(true, MAX_ATTEMPTS, "the API is busy")).isInstanceOfSatisfying(GiveUp.class,
                g -> assertThat(g.resumable()).isTrue());
    }

    @Test
    void aBackendRefusalIsNeverRetried() {
        assertThat(policy.decideCall(false, 1, "not allowed")).isEqualTo(new GiveUp("not allowed", false));
    }

    @Test
    void aVanishedMultipartUploadGivesUpForGood() {
        Decision decision = policy.decide(PartFailure.answer(404, "NoSuchUpload", "The specified upload does not exist."), 1);

        assertThat(decision).isInstanceOf(GiveUp.class);
        assertThat(((GiveUp) decision).resumable()).isFalse();
    }

    @Test
    void aNotFoundThatIsNotNoSuchUploadIsStillResumable() {
        Decision decision = policy.decide(PartFailure.answer(404, "NoSuchKey", "The specified key does not exist."), 1);

        assertThat(decision).isInstanceOf(GiveUp.class);
        assertThat(((GiveUp) decision).resumable()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, MAX_ATTEMPTS})
    void aSignatureMismatchGivesUpAtOnceButCanBeResumed(int attempts) {
        Decision decision = policy.decide(PartFailure.answer(403, "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided."), attempts);

        assertThat(decision).isEqualTo(new GiveUp("storage refused the request (HTTP 403 SignatureDoesNotMatch)", true));
    }

    @Test
    void aPlainAccessDeniedIsNotMistakenForAnExpiry() {
        Decision decision = policy.decide(PartFailure.answer(403, "AccessDenied", "Access Denied"), 1);

        assertThat(decision).isInstanceOf(GiveUp.class);
        assertThat(((GiveUp) decision).resumable()).isTrue();
    }
}
