package io.skylift.backend.storage;

import io.skylift.backend.http.ApiError;

/**
 * How a file of a given size is cut into parts: at least 16 MiB each (fewer, larger requests), more
 * for files so big that 10,000 parts would not hold them, and a single PUT below one part.
 *
 * @param single true when the file goes as one PUT rather than a multipart upload
 */
public record PartPlan(long size, long partSize, int partCount, boolean single) {

    /** Our floor: large enough to keep request overhead small, small enough to retry cheaply. */
    public static final long DEFAULT_MIN_PART_SIZE = 16 * S3Limits.MIB;

    /**
     * @param requestedPartSize 0 for the default plan, otherwise the client's choice, checked against S3's limits
     * @throws ApiError 400 when the requested part size is outside S3's limits or needs too many parts
     */
    public static PartPlan of(long size, long requestedPartSize) {
        long partSize;
        if (requestedPartSize == 0) {
            long perPart = ceilDiv(size, S3Limits.MAX_PARTS);
            partSize = Math.max(DEFAULT_MIN_PART_SIZE, ceilDiv(perPart, S3Limits.MIB) * S3Limits.MIB);
        } else {
            if (requestedPartSize < S3Limits.MIN_PART_SIZE || requestedPartSize > S3Limits.MAX_PART_SIZE) {
                throw ApiError.badRequest("PART_SIZE_INVALID", "partSize must be from 5 MiB to 5 GiB; was " + requestedPartSize + ".");
            }
            if (ceilDiv(size, requestedPartSize) > S3Limits.MAX_PARTS) {
                throw ApiError.badRequest("PART_SIZE_INVALID", "partSize " + requestedPartSize + " would need more than "
                        + S3Limits.MAX_PARTS + " parts for " + size + " bytes; choose a larger part size.");
            }
            partSize = requestedPartSize;
        }
        if (size < partSize) {
            return new PartPlan(size, size, 1, true);
        }
        return new PartPlan(size, partSize, (int) ceilDiv(size, partSize), false);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
