package io.skylift.engine.internal.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackoffTest {

    static final int SAMPLES = 2_000;

    final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(5_000), 8);

    /** The largest and smallest delay seen over many samples after {@code attempt} failures. */
    static long[] minAndMax(Backoff backoff, int attempt) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < SAMPLES; i++) {
            long millis = backoff.delayAfter(attempt).toMillis();
            min = Math.min(min, millis);
            max = Math.max(max, millis);
        }
        return new long[] {min, max};
    }

    @Test
    void everyDelayStaysBetweenZeroAndTheCappedExponentialCeiling() {
        for (int attempt = 1; attempt <= 12; attempt++) {
            long ceiling = Math.min(5_000, 100L << (attempt - 1));
            for (int i = 0; i < SAMPLES; i++) {
                Duration delay = backoff.delayAfter(attempt);
                assertThat(delay.toMillis())
                        .as("delay after attempt %d", attempt)
                        .isBetween(0L, ceiling);
            }
        }
    }

    @Test
    void theDelaysAreJitteredAcrossTheWholeRangeNotFixed() {
        // Full jitter: over many samples the delays reach both ends of [0, ceiling], not one fixed value.
        long[] range = minAndMax(backoff, 4); // ceiling 800 ms
        assertThat(range[0]).isLessThan(100);
        assertThat(range[1]).isGreaterThan(700).isLessThanOrEqualTo(800);
    }

    @Test
    void theUpperBoundDoublesWithEachAttemptUntilItReachesTheCap() {
        long[] maxima = new long[10];
        for (int attempt = 1; attempt <= 10; attempt++) {
            maxima[attempt - 1] = minAndMax(backoff, attempt)[1];
        }
        // 100, 200, 400, 800, 1600, 3200 ms: each observed maximum is above the previous ceiling.
        for (int attempt = 2; attempt <= 6; attempt++) {
            long previousCeiling = 100L << (attempt - 2);
            assertThat(maxima[attempt - 1]).as("max after attempt %d", attempt).isGreaterThan(previousCeiling);
        }
        // From attempt 7 on the ceiling would be 6400 ms and more: the cap of 5000 ms holds it.
        for (int attempt = 7; attempt <= 10; attempt++) {
            assertThat(maxima[attempt - 1]).as("max after attempt %d", attempt).isBetween(3_200L, 5_000L);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {21, 22, 63, 64, 65, 1_000, Integer.MAX_VALUE})
    void hugeAttemptNumbersDoNotOverflowAndStayWithinTheCap(int attempt) {
        Backoff parts = Backoff.PARTS;
        for (int i = 0; i < SAMPLES; i++) {
            assertThat(parts.delayAfter(attempt)).isBetween(Duration.ZERO, parts.cap());
        }
        assertThat(minAndMax(parts, attempt)[1]).isGreaterThan(parts.cap().toMillis() / 2);
    }

    @Test
    void aLargeBaseWithAHugeAttemptNumberStillRespectsTheCap() {
        Backoff slow = new Backoff(Duration.ofHours(1), Duration.ofHours(6), 3);
        for (int i = 0; i < SAMPLES; i++) {
            assertThat(slow.delayAfter(Integer.MAX_VALUE)).isBetween(Duration.ZERO, Duration.ofHours(6));
        }
    }

    @Test
    void itIsExhaustedOnceTheAttemptsReachMaxAttempts() {
        assertThat(backoff.exhausted(8)).isTrue();
        assertThat(backoff.exhausted(9)).isTrue();
        assertThat(backoff.exhausted(7)).isFalse();
        assertThat(backoff.exhausted(1)).isFalse();
    }

    @Test
    void aSingleAttemptBackoffIsExhaustedAfterTheFirstFailure() {
        assertThat(new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 1).exhausted(1)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void theConstructorRefusesFewerThanOneAttempt(int maxAttempts) {
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), maxAttempts))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxAttempts");
    }
}
