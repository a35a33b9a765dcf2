package io.skylift.engine.internal.schedule;

import java.util.ArrayDeque;

/**
 * How many connections to carry file bytes with, decided once a second from what they moved:
 * additive increase while another connection pays, multiplicative decrease when storage or the
 * network pushes back. No clock, no threads: the {@link ConnectionGovernor} feeds it one sample a
 * tick and applies what it answers, and tests feed it whatever link they imagine. Not thread-safe.
 *
 * <h2>The rules</h2>
 * <ul>
 *   <li>Start with {@code min(8, cap)}; never fewer than 1, never more than the cap.</li>
 *   <li>Growth only while the work is backlogged (a job waits for a worker). A sample taken without a
 *       backlog says how much work there was, not what a connection can do: it is not kept.</li>
 *   <li>The samples of the last {@value #WINDOW} ticks, each with the size it was taken at, are fitted
 *       with a line: its slope is what one more connection brings. While that is at least
 *       {@value #GAIN} of an average connection's share (mean bytes ÷ mean size), add one a tick.</li>
 *   <li>Every growth is on trial until the fit confirms it; one the fit does not confirm is taken
 *       back. So past the knee, where connections add nothing, the size holds instead of growing on
 *       noise: each tick there adds a flat point to the fit.</li>
 *   <li>A window of one size has no slope. After {@value #SETTLE} samples at it, probe one more. A
 *       probe, and any growth until one is confirmed or after one was taken back, is cautious: its
 *       first second is not kept (the connection added moved only part of it), it is judged once it
 *       has {@value #SETTLE} samples of its own, and with a margin of standard errors that
 *       grows with each cautious trial that failed in a row ({@value #MARGIN_STEP} each, up to
 *       {@value #MAX_MARGIN}), as does the wait before the next probe (doubling from
 *       {@value #WINDOW} ticks up to {@value #MAX_PROBE_WAIT}).</li>
 *   <li>A congestion signal (a network failure, a timeout, 429, 503 SlowDown, another 5xx) halves the
 *       size at once, at most once a tick; the fit starts afresh, and for {@value #COOLDOWN} ticks
 *       nothing grows.</li>
 * </ul>
 *
 * <h2>Why a fit, not the last sample</h2>
 * A long fat link (100 ms, 1 Gbit/s, 2 MiB windows) gives each connection at most ~20 MB/s, less for
 * range GETs that each wait a round trip for their first byte, so filling it takes 8 to 16 or more. At
 * 10 connections one more adds a tenth; a one-second sample wobbles by about as much while parts start
 * and end, and the connection just added moved only part of its first second. Asking each sample to
 * beat the best before it by a fixed 5 % stops the climb early on a wobble (one attempt reached 10
 * connections and 72 % of such a link). A line through six samples averages the wobble out, asks of
 * the n-th connection only its own share, and a late start shifts every point of the climb alike,
 * which leaves the slope as it was.
 *
 * <pre>{@code
 * Aimd aimd = new Aimd(32);
 * int size = aimd.tick(bytesThisSecond, backlogged); // once a second
 * int smaller = aimd.congested();                    // storage answered 503 SlowDown
 * }</pre>
 */
final class Aimd {

    /** Where every run starts (or the cap, when lower). */
    static final int START = 8;
    /** Ticks of samples the slope is fitted over. */
    static final int WINDOW = 6;
    /** Samples at one size before probing one more, and at a cautious trial before judging it. */
    static final int SETTLE = 2;
    /** Ticks after a decrease without growth. */
    static final int COOLDOWN = 3;
    /** The share of an average connection's throughput one more must bring to keep growing. */
    static final double GAIN = 0.5;
    /**
     * How sure a cautious trial's gain must be, in standard errors of the fit, for each trial that
     * failed in a row: the first probe is taken at its word (a transfer's first seconds are when
     * growth pays most), but where probes keep failing, each is a chance for noise to pass, so each
     * needs more: {@value #MARGIN_STEP} standard errors more, up to {@value #MAX_MARGIN}.
     */
    static final double MARGIN_STEP = 0.5;
    static final double MAX_MARGIN = 2.0;
    /** The longest wait, in ticks, between probes from a held size; it doubles from {@value #WINDOW} with each failed one. */
    static final int MAX_PROBE_WAIT = 60;

    private record Sample(int size, double bytes) {}

    private final int cap;
    private final ArrayDeque<Sample> window = new ArrayDeque<>(WINDOW + 1);
    private int size;
    private int cooldown;
    private boolean decreasedThisTick;
    // The size before the last growth, taken back if the fit does not confirm it; 0 once confirmed.
    private int trialFrom;
    // Whether growth is cautious: judged after SETTLE samples and with a margin. So it is until a growth
    // is confirmed (a climb then needs none), and again once one is taken back or the climb is old news.
    private boolean cautious = true;
    // Whether the next sample is the first of a cautious trial, which the connection added moved only
    // part of (it had to connect and ask first): not kept, so the trial is judged on whole seconds.
    private boolean settling;
    // Cautious trials that failed in a row, and backlogged ticks to wait before the next probe.
    private int failedTrials;
    private int probeWait;

    Aimd(int cap) {
        this(cap, Math.min(START, cap));
    }

    /** Starting at {@code size} instead (the cap changed while transfers ran). */
    Aimd(int cap, int size) {
        if (cap < 1 || size < 1 || size > cap) {
            throw new IllegalArgumentException("need 1 <= size <= cap, was size " + size + ", cap " + cap);
        }
        this.cap = cap;
        this.size = size;
    }

    int size() {
        return size;
    }

    int cap() {
        return cap;
    }

    /**
     * One second ended.
     *
     * @param bytes      bytes moved during it, by all connections
     * @param backlogged whether jobs waited that one more worker would have taken at once
     * @return the size from now on
     */
    int tick(double bytes, boolean backlogged) {
        boolean decreased = decreasedThisTick;
        decreasedThisTick = false;
        if (decreased || !backlogged) {
            // Taken part before and part after a halving, or limited by the work there was: says nothing of a size.
            return size;
        }
        if (settling) {
            settling = false;
            return size;
        }
        window.addLast(new Sample(size, bytes));
        if (window.size() > WINDOW) {
            window.removeFirst();
        }
        if (cooldown > 0) {
            cooldown--;
            return size;
        }
        if (probeWait > 0) {
            probeWait--;
            return size;
        }
        int atThisSize = (int) window.stream().filter(s -> s.size() == size).count();
        if (trialFrom != 0 && cautious && atThisSize < SETTLE) {
            return size; // the trial is not measured yet
        }
        Fit fit = Fit.of(window);
        if (fit == null) {
            // One size only, nothing to compare: once it is measured, probe one more.
            if (atThisSize >= SETTLE && size < cap) {
                cautious = true;
                grow();
                settling = true;
            }
            return size;
        }
        double margin = cautious ? Math.min(MAX_MARGIN, MARGIN_STEP * failedTrials) * fit.standardError() : 0;
        if (fit.slope() - margin >= GAIN * fit.perConnection()) {
            if (trialFrom != 0) {
                // The last one added brought its share: the climb goes on, judged tick by tick (the fit spans it,
                // and a late start shifts each of its points alike).
                cautious = false;
                failedTrials = 0;
            }
            if (size < cap) {
                grow();
                settling = cautious;
            } else {
                trialFrom = 0;
            }
            return size;
        }
        if (trialFrom != 0) {
            // The last one added brought less than its share: back to where it was, so noise cannot ratchet the size up.
            if (cautious) {
                failedTrials++;
                probeWait = Math.min(MAX_PROBE_WAIT, WINDOW << Math.min(failedTrials - 1, 10)) - WINDOW;
            }
            cautious = true;
            size = trialFrom;
            trialFrom = 0;
        }
        return size;
    }

    private void grow() {
        trialFrom = size;
        size++;
    }

    /**
     * Storage or the network pushed back: halves the size (at least 1), at most once until the next
     * tick, and holds growth for {@value #COOLDOWN} ticks.
     *
     * @return the size from now on
     */
    int congested() {
        if (decreasedThisTick) {
            return size;
        }
        decreasedThisTick = true;
        size = Math.max(1, size / 2);
        window.clear();
        trialFrom = 0;
        cautious = true;
        settling = false;
        failedTrials = 0;
        probeWait = 0;
        cooldown = COOLDOWN;
        return size;
    }

    /** A least-squares line through the samples: bytes against size. */
    private record Fit(double slope, double standardError, double perConnection) {

        /** @return null when every sample has the same size */
        static Fit of(ArrayDeque<Sample> samples) {
            int k = samples.size();
            double meanSize = samples.stream().mapToDouble(Sample::size).average().orElse(0);
            double meanBytes = samples.stream().mapToDouble(Sample::bytes).average().orElse(0);
            double sxx = 0;
            double sxy = 0;
            for (Sample s : samples) {
                sxx += (s.size() - meanSize) * (s.size() - meanSize);
                sxy += (s.size() - meanSize) * (s.bytes() - meanBytes);
            }
            if (sxx == 0) {
                return null;
            }
            double slope = sxy / sxx;
            double residuals = 0;
            for (Sample s : samples) {
                double off = s.bytes() - meanBytes - slope * (s.size() - meanSize);
                residuals += off * off;
            }
            double standardError = k > 2 ? Math.sqrt(residuals / (k - 2) / sxx) : 0;
            return new Fit(slope, standardError, meanBytes / meanSize);
        }
    }
}
