package io.skylift.backend.storage;

import java.time.Duration;

/**
 * How a move copies a file inside the bucket: in one CopyObject up to {@code singleCopyMax}, above it part by
 * part (UploadPartCopy) over several calls, each of which stops starting parts after {@code budget} and runs
 * at most {@code parallelism} part copies at once. An immutable value; {@link #S3} is the deployment's.
 *
 * @param singleCopyMax the largest file copied in one CopyObject (S3 copies at most 5 GiB so)
 * @param minPartSize   the smallest part of a multipart copy (S3's own floor is 5 MiB)
 * @param parallelism   part copies one call runs at once
 * @param budget        after this, a call starts no new part; those running finish
 */
public record CopyLimits(long singleCopyMax, long minPartSize, int parallelism, Duration budget) {

    /**
     * 256 MiB parts: S3 copies a part inside its own network, at a rate (some hundred MB/s a request) at which a
     * part started just before the 15 s budget ends still finishes seconds later, well inside API Gateway's 29 s
     * and the function's 25 s read timeout. A 5 TiB file needs larger parts to stay within 10,000: 525 MiB.
     */
    public static final CopyLimits S3 = new CopyLimits(S3Limits.MAX_PART_SIZE, 256 * S3Limits.MIB, 8, Duration.ofSeconds(15));

    public CopyLimits {
        if (singleCopyMax < 1 || singleCopyMax > S3Limits.MAX_PART_SIZE) {
            throw new IllegalArgumentException("singleCopyMax must be 1 byte to 5 GiB; was " + singleCopyMax);
        }
        if (minPartSize < S3Limits.MIN_PART_SIZE || minPartSize > S3Limits.MAX_PART_SIZE) {
            throw new IllegalArgumentException("minPartSize must be 5 MiB to 5 GiB; was " + minPartSize);
        }
        if (parallelism < 1 || budget.isNegative()) {
            throw new IllegalArgumentException("parallelism must be positive and budget not negative");
        }
    }

    /** The part size of a multipart copy of {@code size} bytes: at least {@code minPartSize}, and few enough parts. */
    public long partSize(long size) {
        long perPart = (size + S3Limits.MAX_PARTS - 1) / S3Limits.MAX_PARTS;
        long rounded = (perPart + S3Limits.MIB - 1) / S3Limits.MIB * S3Limits.MIB;
        return Math.max(minPartSize, rounded);
    }
}
