package io.skylift.engine;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * How an engine is set up.
 *
 * @param api            the Skylift API's base URL (before {@code /v1})
 * @param token          the sign-in token, asked for on every call so a refreshed one is used at once
 * @param concurrency    the most connections carrying file bytes at once, shared by all transfers (1..64). Through
 *                       the API the engine starts with {@code min(8, concurrency)} and adds or drops
 *                       connections as they pay (see {@code ConnectionGovernor}); directly to a bucket the
 *                       AWS CRT gets exactly this many, and paces itself within them
 * @param partSize       bytes per part to ask the API for; 0 for its plan (at least 16 MiB)
 * @param journalDir     where unfinished transfers are recorded
 * @param activeTransfers transfers running at once; more wait as QUEUED
 * @param ioTimeout      how long a connection may stay silent before it counts as failed
 * @param direct         a bucket to reach with the person's AWS credentials instead of the API, or null
 */
public record EngineSettings(URI api, Supplier<String> token, int concurrency, long partSize, Path journalDir,
                             int activeTransfers, Duration ioTimeout, DirectTarget direct) {

    /** The most connections through the API, by default: the engine finds how many pay, starting with 8. */
    public static final int DEFAULT_CONCURRENCY = 32;
    /** Connections of the direct route (the AWS CRT), by default: a fixed number, which the CRT paces itself within. */
    public static final int DIRECT_CONCURRENCY = 8;

    public EngineSettings {
        if (concurrency < 1 || concurrency > 64) {
            throw new IllegalArgumentException("concurrency must be from 1 to 64, was " + concurrency);
        }
        if (partSize != 0 && (partSize < 5L * 1024 * 1024 || partSize > 5L * 1024 * 1024 * 1024)) {
            throw new IllegalArgumentException("part size must be from 5 MiB to 5 GiB, was " + partSize);
        }
        if ((api == null) == (direct == null)) {
            throw new IllegalArgumentException("exactly one of an API URL and a direct bucket is needed");
        }
        if (activeTransfers < 1) {
            throw new IllegalArgumentException("activeTransfers must be at least 1");
        }
    }

    public static EngineSettings of(URI api, Supplier<String> token, Path journalDir) {
        return new EngineSettings(api, token, DEFAULT_CONCURRENCY, 0, journalDir, DEFAULT_CONCURRENCY, Duration.ofSeconds(60), null);
    }

    /** Transfers straight to a bucket with the person's AWS credentials (the AWS CRT's S3 client). */
    public static EngineSettings direct(DirectTarget target, Path journalDir) {
        return new EngineSettings(null, () -> null, DIRECT_CONCURRENCY, 0, journalDir, DIRECT_CONCURRENCY, Duration.ofSeconds(60), target);
    }


    public EngineSettings withConcurrency(int n) {
        return new EngineSettings(api, token, n, partSize, journalDir, Math.max(activeTransfers, n), ioTimeout, direct);
    }

    public EngineSettings withPartSize(long bytes) {
        return new EngineSettings(api, token, concurrency, bytes, journalDir, activeTransfers, ioTimeout, direct);
    }

    public EngineSettings withIoTimeout(Duration timeout) {
        return new EngineSettings(api, token, concurrency, partSize, journalDir, activeTransfers, timeout, direct);
    }
}
