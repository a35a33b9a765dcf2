package io.skylift.backend.route;

import io.skylift.backend.http.ApiError;
import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.http.Router;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.keys.KeyRules;
import io.skylift.backend.signing.SealedMoveId;
import io.skylift.backend.signing.UploadSeal;
import io.skylift.backend.storage.Bucket;
import io.skylift.backend.storage.CopyLimits;
import io.skylift.backend.storage.Crc32c;
import io.skylift.backend.storage.StorageFailures;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code POST /v1/moves}: moves (renames) a file within the caller's own folder by a copy inside the bucket,
 * checked against the source, and then the source's removal. It never replaces a file: a name taken is a 409
 * found with HeadObject, and the copy itself is conditional ({@code If-None-Match: *}) where storage honours it.
 * A file at the name that is already the source's copy (the same size and CRC32C) is what a move sent again
 * after its answer was lost finds: that move is finished, the source deleted, and the answer is 200 {@code done}.
 *
 * <p>Up to {@link CopyLimits#singleCopyMax} the copy is one CopyObject and the answer is 200 {@code done}.
 * Above it the answer is 202 {@code copying} with a sealed move id, and {@link ContinueMove} copies the parts.
 * Thread-safe.
 *
 * <pre>{@code
 * POST /v1/moves {"from":"u/alice/a/b.jpg","to":"u/alice/c/d.jpg"}
 * 200 {"state":"done","from":"u/alice/a/b.jpg","to":"u/alice/c/d.jpg","size":1,"etag":"...","crc32c":"..."}
 * }</pre>
 */
public final class MoveFile implements Router.Action {

    public record Request(String from, String to) {}

    private final KeyRules keys;
    private final UploadSeal seal;
    private final Bucket bucket;
    private final CopyLimits limits;

    public MoveFile(KeyRules keys, UploadSeal seal, Bucket bucket, CopyLimits limits) {
        this.keys = keys;
        this.seal = seal;
        this.bucket = bucket;
        this.limits = limits;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Identity caller) {
        Request body = request.body(Request.class);
        String from = keys.deletableKey(caller, body.from(), "from");
        String to = keys.writableKey(caller, body.to(), "to");
        if (from.equals(to)) {
            throw ApiError.badRequest("MOVE_INVALID", "from and to name the same file; give the file a new name or folder.");
        }
        HeadObjectResponse source = bucket.head(from).orElseThrow(() -> CreateDownload.notFound(from));
        // S3 copies no archived object: say how to restore it rather than let the copy fail.
        CreateDownload.requireDownloadable(from, source);
        String sourceCrc = Crc32c.wholeObject(source.checksumCRC32C());
        long size = source.contentLength();
        Optional<HeadObjectResponse> existing = bucket.head(to);
        if (existing.isPresent()) {
            // A move sent again after its answer was lost (the copy made, the source not yet deleted) finishes.
            if (Move.isCopyOf(existing.get(), size, sourceCrc)) {
                return ApiResponse.ok(Move.finishCopied(bucket, from, to, existing.get(), source.eTag()));
            }
            throw Move.objectExists(to);
        }
        if (size <= limits.singleCopyMax()) {
            copy(from, to, source);
            return ApiResponse.ok(Move.finish(bucket, from, to, size, source.eTag(), sourceCrc));
        }
        long partSize = limits.partSize(size);
        String uploadId = bucket.createCopyUpload(to, source.contentType(), source.metadata(), source.storageClassAsString());
        var id = new SealedMoveId(caller.subject(), from, to, uploadId, size, partSize, source.eTag(), sourceCrc);
        return ApiResponse.json(202, new Move.Copying("copying", seal.seal(id), from, to, size, 0, id.partCount()));
    }

    private void copy(String from, String to, HeadObjectResponse source) {
        try {
            bucket.copy(from, to, source.eTag(), source.storageClassAsString());
        } catch (S3Exception e) {
            String code = StorageFailures.code(e);
            if (e.statusCode() == 412) {
                // Either condition failed: the source's ETag, or a file appeared at the destination.
                throw bucket.head(to).isPresent() ? Move.objectExists(to) : Move.sourceChanged(from);
            }
            if (e.statusCode() == 409) {
                throw Move.conflict(to);
            }
            if (code.equals("InvalidObjectState")) {
                throw CreateDownload.archived(from, source.storageClassAsString());
            }
            throw e;
        }
    }
}
