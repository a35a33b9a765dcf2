package io.skylift.engine;

/**
 * How a transfer ended, as the command line's {@code --json} line reports it.
 *
 * @param bytesTransferred bytes this process actually sent or received (not those skipped on resume)
 * @param crc32c           the file's CRC32C as base64, null when unknown
 * @param verifiedBy       once done, how the stored bytes were checked against the local ones:
 *                         {@code crc32c} (the whole object's), {@code md5} (a single-part object's
 *                         ETag), or {@code size} (storage holds no checksum to check); null when not
 *                         done or checked by the route's own means (the CRT's, on the direct route)
 * @param skipped          once done, why nothing was sent: {@value #SKIPPED_IDENTICAL} (storage already holds
 *                         this file: same size and CRC32C) or {@value #SKIPPED_EXISTS} (another file has the
 *                         name and skipping was asked for); null when the file was sent
 * @param cause            the kind of problem that stopped it, null when it did not stop on one
 * @param connections      the most connections that carried file bytes at once while it ran (all
 *                         transfers' together); 0 when it sent or fetched nothing
 */
public record TransferResult(String id, Direction direction, String file, String key, long size, TransferState state,
                             long bytesTransferred, double seconds, String crc32c, String reason, String verifiedBy,
                             String skipped, TransferException.Reason cause, int connections) {

    public static final String SKIPPED_IDENTICAL = "identical";
    public static final String SKIPPED_EXISTS = "exists";

    public static final String BY_CRC32C = "crc32c";
    public static final String BY_MD5 = "md5";
    public static final String BY_SIZE = "size";
}
