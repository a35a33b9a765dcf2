package io.skylift.backend.route;

import io.skylift.backend.http.ApiError;
import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.http.Router;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.storage.ShareMarkers;
import java.util.regex.Pattern;

/**
 * {@code DELETE /v1/shares/{id}}: revokes one of the caller's shares by deleting its marker; the link's
 * page and downloads refuse from the next request. A download already under way runs to its end: its
 * presigned URL was granted before. Thread-safe.
 */
public final class RevokeShare implements Router.Action {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{22}");

    private final ShareMarkers markers;

    public RevokeShare(ShareMarkers markers) {
        this.markers = markers;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Identity caller) {
        String id = request.pathParam("id");
        // Only one's own folder of markers is searched: another person's share id finds nothing.
        boolean wellFormed = ID.matcher(id).matches();
        String marker = wellFormed ? markers.find(caller.subject(), id).orElse(null) : null;
        if (marker == null) {
            throw ApiError.notFound("SHARE_NOT_FOUND", "You have no live share " + (wellFormed ? id : "of that id")
                    + "; `skylift shares` lists yours.");
        }
        markers.remove(marker);
        return ApiResponse.noContent();
    }
}
