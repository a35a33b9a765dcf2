package io.skylift.backend.signing;

import io.skylift.backend.http.ApiError;

/**
 * What an upload id carries under its seal. The client holds it as an opaque string; the backend
 * trusts these fields only after {@link UploadSeal#open} has checked the MAC and the caller.
 *
 * @param s3UploadId null for a file small enough to go as one PUT
 * @param scope      what the holder may do with it
 */
public record SealedUploadId(String subject, String key, String s3UploadId, long size, long partSize,
                             int partCount, Scope scope) {

    /** What an id allows. */
    public enum Scope {
        /** Issued by create: sign parts, list, complete, abort. */
        FULL,
        /** Issued by the uploads listing, where size and plan are unknown: list parts and abort only. */
        MANAGE
    }

    /** @throws ApiError 403 for an id that only allows listing and aborting */
    public SealedUploadId requireFull() {
        if (scope != Scope.FULL) {
            throw ApiError.forbidden("UPLOAD_ID_LIMITED",
                    "This id comes from the uploads listing: it can list parts or cancel the upload, not send or finish it.");
        }
        return this;
    }

    public boolean isSingle() {
        return s3UploadId == null;
    }

    /** The size of part {@code partNumber} (1-based): full parts, and whatever is left for the last. */
    public long partLength(int partNumber) {
        return partNumber < partCount ? partSize : size - partSize * (partCount - 1L);
    }
}
