package io.skylift.backend.route;

import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.http.Router;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.signing.SealedMoveId;
import io.skylift.backend.signing.UploadSeal;
import io.skylift.backend.storage.Bucket;

/** {@code DELETE /v1/moves/{id}}: gives up a multipart move and frees its copied parts; the source stays. Idempotent. */
public final class AbortMove implements Router.Action {

    private final UploadSeal seal;
    private final Bucket bucket;

    public AbortMove(UploadSeal seal, Bucket bucket) {
        this.seal = seal;
        this.bucket = bucket;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Identity caller) {
        SealedMoveId id = seal.openMove(request.pathParam("id"), caller);
        bucket.abort(id.to(), id.s3UploadId());
        return ApiResponse.noContent();
    }
}
