package io.skylift.backend.route;

import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.http.Router;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.signing.SealedUploadId;
import io.skylift.backend.signing.UploadSeal;
import io.skylift.backend.storage.Bucket;

/** {@code DELETE /v1/uploads/{id}}: cancels an upload and frees its parts. Idempotent. */
public final class AbortUpload implements Router.Action {

    private final UploadSeal seal;
    private final Bucket bucket;

    public AbortUpload(UploadSeal seal, Bucket bucket) {
        this.seal = seal;
        this.bucket = bucket;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Identity caller) {
        SealedUploadId id = seal.open(request.pathParam("id"), caller);
        // A single PUT holds nothing until it succeeds, and then it is a finished file, not an upload.
        if (!id.isSingle()) {
            bucket.abort(id.key(), id.s3UploadId());
        }
        return ApiResponse.noContent();
    }
}
