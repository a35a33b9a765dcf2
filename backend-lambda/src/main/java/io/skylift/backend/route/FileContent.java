package io.skylift.backend.route;

import io.skylift.backend.http.ApiError;
import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.http.Router;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.keys.KeyRules;
import io.skylift.backend.signing.UrlSigner;
import io.skylift.backend.storage.Bucket;

/** {@code GET /v1/files/content?key=}: a redirect to a presigned GET, for browsers and plain links. */
public final class FileContent implements Router.Action {

    private final KeyRules keys;
    private final UrlSigner signer;
    private final Bucket bucket;

    public FileContent(KeyRules keys, UrlSigner signer, Bucket bucket) {
        this.keys = keys;
        this.signer = signer;
        this.bucket = bucket;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Identity caller) {
        String key = keys.readableKey(caller, request.query("key")
                .orElseThrow(() -> ApiError.badRequest("KEY_INVALID", "key is required.")));
        CreateDownload.requireDownloadable(key, bucket.head(key).orElseThrow(() -> CreateDownload.notFound(key)));
        // No If-Match: a browser cannot send signed headers, and a plain link fetches whatever is current.
        return ApiResponse.redirect(signer.getObject(key, null, KeyRules.fileNameOf(key)).url());
    }
}
