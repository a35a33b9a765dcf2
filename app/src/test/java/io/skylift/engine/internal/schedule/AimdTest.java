package io.skylift.engine.internal.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AimdTest {

    static final double MB = 1e6;

    /**
     * A link as the samples see it: each connection moves {@code perConnection} a second (a new one
     * {@code firstSecond} of that in its first second), all together at most {@code link}, each
     * connection's second wobbling by {@code noise} (relative) and the link's by a third of it.
     */
    record Link(double perConnection, double link, double noise, double firstSecond, Random random) {

        static Link of(double perConnection, double link, double noise, long seed) {
            return new Link(perConnection, link, noise, 0.7, new Random(seed));
        }

        double second(int size, int sizeBefore) {
            double sum = 0;
            for (int i = 0; i < size; i++) {
                sum += (i < sizeBefore ? 1 : firstSecond) * perConnection * (1 + noise * random.nextGaussian());
            }
            return Math.max(0, Math.min(link * (1 + noise / 3 * random.nextGaussian()), sum));
        }
    }

    /** Runs {@code ticks} backlogged seconds over {@code link}; returns the size during each. */
    static List<Integer> run(Aimd aimd, Link link, int ticks) {
        List<Integer> sizes = new ArrayList<>();
        int before = aimd.size();
        for (int t = 0; t < ticks; t++) {
            int size = aimd.size();
            sizes.add(size);
            aimd.tick(link.second(size, before), true);
            before = size;
        }
        return sizes;
    }

    @Test
    void startsWithEightOrTheCapWhenLower() {
        assertThat(new Aimd(32).size()).isEqualTo(8);
        assertThat(new Aimd(8).size()).isEqualTo(8);
        assertThat(new Aimd(3).size()).isEqualTo(3);
        assertThat(new Aimd(1).size()).isEqualTo(1);
        assertThatThrownBy(() -> new Aimd(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Aimd(4, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void growsOneATickWhileEveryConnectionAddsItsShareUpToTheCapAndNoFurther() {
        Aimd aimd = new Aimd(32);
        // Slow connections on a link far wider than 32 of them: more always pays.
        List<Integer> sizes = run(aimd, Link.of(1 * MB, 1000 * MB, 0.05, 1), 60);

        for (int t = 1; t < sizes.size(); t++) {
            assertThat(sizes.get(t) - sizes.get(t - 1)).as("one at a time, at tick " + t).isBetween(-1, 1);
        }
        assertThat(sizes).allMatch(n -> n >= 1 && n <= 32);
        // Two samples at 8, a probe of three ticks (its first second not kept), then one a tick.
        assertThat(sizes.indexOf(32)).as("ticks to reach the cap: " + sizes).isBetween(20, 35);
        assertThat(sizes.subList(40, 60)).containsOnly(32);
    }

    @Test
    void holdsNearTheKneeOfALinkInsteadOfGrowingOnNoise() {
        for (long seed = 1; seed <= 10; seed++) {
            Aimd aimd = new Aimd(32);
            // 10 MB/s a connection, 120 MB/s in all: the link is full from 12. A quarter of an hour of wobbling samples.
            List<Integer> sizes = run(aimd, Link.of(10 * MB, 120 * MB, 0.1, seed), 900);

            List<Integer> after = sizes.subList(30, 900);
            assertThat(after).as("seed " + seed + ": " + sizes).allMatch(n -> n >= 11 && n <= 21);
            assertThat(after.subList(after.size() - 300, after.size()).stream().mapToInt(n -> n).average().orElseThrow())
                    .as("seed " + seed + ", the last five minutes: " + sizes).isLessThan(19);
        }
    }

    @Test
    void aProbeThatDoesNotPayIsTakenBackSoAFlatLinkNeverDriftsUp() {
        Aimd aimd = new Aimd(32);
        List<Integer> sizes = new ArrayList<>();
        for (int t = 0; t < 300; t++) {
            sizes.add(aimd.size());
            aimd.tick(100 * MB, true); // whatever the number, the same bytes
        }
        assertThat(sizes).containsOnly(8, 9);
        // Probes (three ticks each) come ever more rarely while they fail: 6, 12, 24, 48, then every 60 ticks.
        assertThat(sizes.stream().filter(n -> n == 9).count()).as("ticks spent probing: " + sizes).isBetween(16L, 30L);
    }

    @Test
    void fillsALongFatLinkOnRangeRequestsThatEachWaitARoundTrip() {
        // 100 ms, 1 Gbit/s (125 MB/s), 2 MiB in flight: a connection moves at most 21 MB/s; a 16 MiB range
        // takes 0.8 s of that and waits a round trip before its first byte, and the next starts after a
        // flush to disk: about 13 MB/s each, wobbling by a tenth while ranges start and end. Full from 10.
        double total = 0;
        int seeds = 20;
        for (long seed = 1; seed <= seeds; seed++) {
            List<Integer> sizes = run(new Aimd(32), Link.of(13 * MB, 125 * MB, 0.1, seed), 40);
            double moved = 0;
            Link again = Link.of(13 * MB, 125 * MB, 0.1, seed);
            for (int t = 0; t < sizes.size(); t++) {
                moved += again.second(sizes.get(t), t == 0 ? 8 : sizes.get(t - 1));
            }
            double share = moved / 40 / (125 * MB);
            total += share;
            assertThat(sizes).as("seed " + seed + ": " + sizes).allMatch(n -> n <= 16);
            // Holding at 8 or 9 (the link 83 or 94 % full) a while, when a probe fails on a wobble, is allowed.
            assertThat(share).as("seed %d: share of the link over the first 40 s: %s", seed, sizes).isGreaterThan(0.85);
        }
        assertThat(total / seeds).as("the share of the link, on average").isGreaterThan(0.93);
    }

    @Test
    void withoutABacklogSamplesAreNotKeptAndNothingGrows() {
        Aimd aimd = new Aimd(32);
        for (int t = 0; t < 30; t++) {
            assertThat(aimd.tick(t * 10 * MB, false)).isEqualTo(8);
        }
    }

    @Test
    void congestionHalvesAtOnceAtMostOnceATickAndNeverBelowOne() {
        Aimd aimd = new Aimd(32, 20);

        assertThat(aimd.congested()).isEqualTo(10);
        assertThat(aimd.congested()).as("a second signal in the same tick").isEqualTo(10);
        aimd.tick(50 * MB, true);
        assertThat(aimd.congested()).isEqualTo(5);
        aimd.tick(50 * MB, true);
        assertThat(aimd.congested()).isEqualTo(2);
        aimd.tick(50 * MB, true);
        assertThat(aimd.congested()).isEqualTo(1);
        aimd.tick(50 * MB, true);
        assertThat(aimd.congested()).isEqualTo(1);
    }

    @Test
    void afterADecreaseNothingGrowsForAFewTicksThenTheClimbStartsAgain() {
        Aimd aimd = new Aimd(32, 16);
        aimd.congested();
        List<Integer> sizes = run(aimd, Link.of(1 * MB, 1000 * MB, 0, 1), 12);

        // The tick the halving fell in, then COOLDOWN ticks, then two samples before a probe.
        assertThat(sizes.subList(0, 1 + Aimd.COOLDOWN + 1)).containsOnly(8);
        assertThat(sizes.getLast()).as(sizes.toString()).isGreaterThan(9);
    }

    @Test
    void aCapOfOneStaysOne() {
        Aimd aimd = new Aimd(1);
        assertThat(run(aimd, Link.of(1 * MB, 1000 * MB, 0.05, 1), 30)).containsOnly(1);
        assertThat(aimd.congested()).isEqualTo(1);
    }
}
