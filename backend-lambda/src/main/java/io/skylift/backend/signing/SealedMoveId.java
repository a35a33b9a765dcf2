package io.skylift.backend.signing;

/**
 * What a move id carries under its seal: a copy of more than one CopyObject's worth, made part by part over
 * several calls. The client holds it as an opaque string; the backend trusts these fields only after
 * {@link UploadSeal#openMove} has checked the MAC and the caller.
 *
 * @param s3UploadId the multipart upload the copy goes into, under {@code to}
 * @param size       the source's size when the move began
 * @param partSize   the size of every part but the last
 * @param etag       the source's ETag when the move began: every part is copied only while it holds
 * @param crc32c     the source's full-object CRC32C, null when storage held none
 */
public record SealedMoveId(String subject, String from, String to, String s3UploadId, long size, long partSize,
                           String etag, String crc32c) {

    public int partCount() {
        return (int) ((size + partSize - 1) / partSize);
    }

    /** The first byte of part {@code partNumber} (1-based). */
    public long firstByte(int partNumber) {
        return (partNumber - 1L) * partSize;
    }

    /** The last byte (inclusive) of part {@code partNumber}. */
    public long lastByte(int partNumber) {
        return Math.min(size, partNumber * partSize) - 1;
    }

    @Override
    public String toString() {
        return "SealedMoveId[" + from + " -> " + to + ", " + size + " bytes]";
    }
}
