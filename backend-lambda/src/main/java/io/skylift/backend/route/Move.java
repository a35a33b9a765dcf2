package io.skylift.backend.route;

import io.skylift.backend.http.ApiError;
import io.skylift.backend.keys.KeyRules;
import io.skylift.backend.storage.Bucket;
import io.skylift.backend.storage.Crc32c;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * What the move routes share: their answers, and the last step of every move, which checks the copy against
 * the source and only then removes the source. Stateless and thread-safe.
 */
final class Move {

    /** A finished move: the file now at {@code to}, as storage holds it. */
    record Done(String state, String from, String to, long size, String etag, String crc32c) {}

    /** A multipart copy under way: call {@code /v1/moves/{id}/continue} until it is done. */
    record Copying(String state, String id, String from, String to, long size, int partsDone, int partsTotal) {}

    private Move() {}

    static ApiError sourceChanged(String from) {
        return ApiError.conflict("SOURCE_CHANGED", KeyRules.fileNameOf(from) + " changed or went away while it was being moved;"
                + " nothing was moved. Move it again.");
    }

    /** S3's 409 ConditionalRequestConflict: another write to {@code to} at the same moment. */
    static ApiError conflict(String to) {
        return new ApiError(409, "MOVE_CONFLICT", "Another change to '" + KeyRules.fileNameOf(to)
                + "' happened at the same moment; try the move again.", true);
    }

    static ApiError objectExists(String to) {
        return ApiError.conflict("OBJECT_EXISTS", "A file named '" + KeyRules.fileNameOf(to)
                + "' already exists there; it was not replaced. Choose another name or delete that file first.");
    }

    /**
     * Checks the copy now at {@code to} against the source (size, and CRC32C where storage holds both), then
     * deletes the source, only while it is still the version that was copied. Where either check fails the copy
     * is removed again, only while it is still the copy checked (another client may have written {@code to}
     * since), so a failed move leaves the source as it was and nothing of its own at {@code to}.
     *
     * @param sourceCrc32c the source's full-object CRC32C, null when storage held none
     * @throws ApiError 409 {@code SOURCE_CHANGED}; 500 {@code COPY_DIFFERS} (retryable) for a copy that is not the source
     */
    static Done finish(Bucket bucket, String from, String to, long size, String sourceEtag, String sourceCrc32c) {
        HeadObjectResponse copy = bucket.head(to).orElseThrow(() -> new ApiError(500, "COPY_DIFFERS",
                "Storage accepted the copy of " + KeyRules.fileNameOf(from) + " but does not show it; move it again.", true));
        String copyCrc = Crc32c.wholeObject(copy.checksumCRC32C());
        boolean differs = copy.contentLength() != size || (copyCrc != null && sourceCrc32c != null && !copyCrc.equals(sourceCrc32c));
        if (differs) {
            bucket.deleteIfUnchanged(to, copy.eTag());
            throw new ApiError(500, "COPY_DIFFERS", "The copy of " + KeyRules.fileNameOf(from)
                    + " does not match it (size or CRC32C); it was removed and the file was not moved. Move it again.", true);
        }
        if (!bucket.deleteIfUnchanged(from, sourceEtag)) {
            bucket.deleteIfUnchanged(to, copy.eTag());
            throw sourceChanged(from);
        }
        return done(from, to, copy);
    }

    /**
     * Whether the file at {@code to} is a finished copy of the source: the same size and the same CRC32C. A
     * file without a whole-object CRC32C, or a source without one, never counts as a copy: size alone does
     * not tell a copy from another file.
     */
    static boolean isCopyOf(HeadObjectResponse found, long size, String sourceCrc32c) {
        String crc = Crc32c.wholeObject(found.checksumCRC32C());
        return found.contentLength() == size && crc != null && crc.equals(sourceCrc32c);
    }

    /**
     * Finishes a move whose copy an earlier call made (its answer lost after the copy, before or while the
     * source was deleted): deletes the source, only while it is still the version copied. {@code to} is
     * never removed here, as it may be a file another client wrote with the same bytes.
     *
     * @param copy what storage shows at {@code to}, a copy of the source by {@link #isCopyOf}
     * @throws ApiError 409 {@code OBJECT_EXISTS} when the source changed meanwhile: the file at {@code to} is no
     *                  longer its copy, and stays
     */
    static Done finishCopied(Bucket bucket, String from, String to, HeadObjectResponse copy, String sourceEtag) {
        if (!bucket.deleteIfUnchanged(from, sourceEtag)) {
            throw objectExists(to);
        }
        return done(from, to, copy);
    }

    private static Done done(String from, String to, HeadObjectResponse copy) {
        return new Done("done", from, to, copy.contentLength(), copy.eTag(), Crc32c.wholeObject(copy.checksumCRC32C()));
    }
}
