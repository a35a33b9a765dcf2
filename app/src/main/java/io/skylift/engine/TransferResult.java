package io.skylift.engine;

/**
 * How a transfer ended, as the command line's {@code --json} line reports it.
 *
 * @param bytesTransferred bytes this process actually sent or received (not those skipped on resume)
 * @param crc32c           the file's CRC32C as base64, null when unknown
 */
public record TransferResult(String id, Direction direction, String file, String key, long size, TransferState state,
                             long bytesTransferred, double seconds, String crc32c, String reason) {}
