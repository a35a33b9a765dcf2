package io.skylift.engine.internal.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RateMeterTest {

    static final long MB = 1_000_000;
    static final long T0 = 1_741_944_000_000L;

    final RateMeter meter = new RateMeter();

    /** Feeds {@code seconds} of transfer at {@code rate} bytes/s, sampled every 250 ms; returns the new total. */
    long feed(long startMillis, long startTotal, int seconds, long rate) {
        long total = startTotal;
        for (long t = 0; t <= seconds * 1_000L; t += 250) {
            total = startTotal + rate * t / 1_000;
            meter.sample(startMillis + t, total);
        }
        return total;
    }

    @Test
    void aMeterThatHasSeenNothingReportsZero() {
        assertThat(meter.bytesPerSecond(T0, 0)).isZero();
        assertThat(meter.bytesPerSecond(T0 + 10_000, 50 * MB)).isZero();
    }

    @Test
    void aSteadyTenMegabytesPerSecondReadsAsTenMegabytesPerSecond() {
        long total = feed(T0, 0, 20, 10 * MB);

        assertThat(meter.bytesPerSecond(T0 + 20_000, total)).isCloseTo(10 * MB, within(MB / 100));
    }

    @Test
    void aSteadyRateReadsCorrectlyBetweenSamples() {
        feed(T0, 0, 20, 10 * MB);

        // 600 ms after the last sample, with the bytes done since then.
        long now = T0 + 20_600;
        assertThat(meter.bytesPerSecond(now, 10 * MB * 20_600 / 1_000)).isCloseTo(10 * MB, within(MB / 100));
    }

    @Test
    void afterTheRateChangesTheEstimateMovesToTheNewRateWithinTheWindow() {
        long fast = 10 * MB;
        long slow = 2 * MB;
        long total = feed(T0, 0, 20, fast);
        long switchAt = T0 + 20_000;

        long previous = meter.bytesPerSecond(switchAt, total);
        assertThat(previous).isCloseTo(fast, within(MB / 100));
        for (int second = 1; second <= 5; second++) {
            long now = switchAt + second * 1_000L;
            total += slow;
            meter.sample(now, total);
            long estimate = meter.bytesPerSecond(now, total);
            assertThat(estimate).as("after %d s at the new rate", second).isLessThan(previous).isGreaterThanOrEqualTo(slow);
            previous = estimate;
        }
        // A full window after the change only the new rate is left.
        for (int second = 6; second <= 8; second++) {
            long now = switchAt + second * 1_000L;
            total += slow;
            meter.sample(now, total);
        }
        assertThat(meter.bytesPerSecond(switchAt + 8_000, total)).isCloseTo(slow, within(MB / 100));
    }

    @Test
    void aRateThatRisesIsFollowedUpwardsToo() {
        long total = feed(T0, 0, 10, MB);
        long start = T0 + 10_000;
        for (int second = 1; second <= 8; second++) {
            total += 50 * MB;
            meter.sample(start + second * 1_000L, total);
        }

        assertThat(meter.bytesPerSecond(start + 8_000, total)).isCloseTo(50 * MB, within(MB / 10));
    }

    @Test
    void lessThanHalfASecondOfHistoryReadsAsZero() {
        meter.sample(T0, 0);

        assertThat(meter.bytesPerSecond(T0, 5 * MB)).isZero();
        assertThat(meter.bytesPerSecond(T0 + 499, 5 * MB)).isZero();
        assertThat(meter.bytesPerSecond(T0 + 500, 5 * MB)).isEqualTo(10 * MB);
    }

    @Test
    void samplesCloserThanASecondApartDoNotShrinkTheWindow() {
        for (int second = 0; second <= 10; second++) {
            meter.sample(T0 + second * 1_000L, second * MB);
        }
        // A burst of 50 MB in 600 ms, reported every 100 ms: were these kept, they would push the
        // older samples out of the ring and the rate would read as the burst alone.
        long total = 10 * MB;
        for (int tenth = 1; tenth <= 6; tenth++) {
            total += 50 * MB / 6;
            meter.sample(T0 + 10_000 + tenth * 100L, total);
        }

        long now = T0 + 10_600;
        // Still measured from the sample 5 s before the last kept one (at T0 + 5 s, 5 MB done).
        assertThat(meter.bytesPerSecond(now, total)).isEqualTo((total - 5 * MB) * 1_000 / 5_600);
    }

    @Test
    void resetForgetsEverything() {
        long total = feed(T0, 0, 10, 10 * MB);
        assertThat(meter.bytesPerSecond(T0 + 10_000, total)).isPositive();

        meter.reset();

        assertThat(meter.bytesPerSecond(T0 + 10_000, total)).isZero();
        // After a reset (a resume), bytes done before it must not count as speed.
        meter.sample(T0 + 60_000, total);
        assertThat(meter.bytesPerSecond(T0 + 61_000, total + 3 * MB)).isEqualTo(3 * MB);
    }

    @Test
    void aTotalThatGoesBackwardsNeverGivesANegativeRate() {
        meter.sample(T0, 100 * MB);
        meter.sample(T0 + 1_000, 100 * MB);

        assertThat(meter.bytesPerSecond(T0 + 2_000, 40 * MB)).isZero();
    }
}
