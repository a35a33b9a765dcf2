package io.skylift.backend.route;

import io.skylift.backend.http.ApiError;
import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.http.Router;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.keys.KeyRules;
import io.skylift.backend.storage.Bucket;

/**
 * {@code DELETE /v1/files?key=}: deletes one file in the caller's own folder. The key is checked before any
 * storage call; a file that is not there is a 404, so a client can tell a typo from a success. In the
 * deployment's versioned bucket the file's bytes stay, as a noncurrent version, for the retention days.
 */
public final class DeleteFile implements Router.Action {

    private final KeyRules keys;
    private final Bucket bucket;

    public DeleteFile(KeyRules keys, Bucket bucket) {
        this.keys = keys;
        this.bucket = bucket;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Identity caller) {
        String key = keys.deletableKey(caller, request.query("key")
                .orElseThrow(() -> ApiError.badRequest("KEY_INVALID", "key is required.")), "key");
        bucket.head(key).orElseThrow(() -> CreateDownload.notFound(key));
        bucket.delete(key);
        return ApiResponse.noContent();
    }
}
