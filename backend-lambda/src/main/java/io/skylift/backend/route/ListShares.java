package io.skylift.backend.route;

import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.http.Cursor;
import io.skylift.backend.http.Router;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.share.ShareLinks;
import io.skylift.backend.share.ShareView;
import io.skylift.backend.storage.ShareMarkers;
import java.util.List;

/**
 * {@code GET /v1/shares?cursor=}: the caller's live shares, soonest to expire first, with the very links
 * they were handed out with (sealed again with the secret that sealed them, which a marker names).
 * A page reads one marker per share, so it holds at most {@value #PAGE} (a page of 50 links of the
 * longest keys is still about 100 KB). Thread-safe.
 */
public final class ListShares implements Router.Action {

    public record Response(List<ShareView> shares, String nextCursor) {}

    static final int PAGE = 50;

    private final ShareMarkers markers;
    private final ShareLinks links;

    public ListShares(ShareMarkers markers, ShareLinks links) {
        this.markers = markers;
        this.links = links;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Identity caller) {
        String after = null;
        if (request.query("cursor").isPresent()) {
            after = Cursor.decode(request.query("cursor").get());
            if (!after.startsWith(ShareMarkers.folderOf(caller.subject()))) {
                throw Cursor.invalid();
            }
        }
        ShareMarkers.Page page = markers.live(caller.subject(), after, PAGE);
        // A share whose link was sealed with a secret no longer held opens no more: not live, whatever its marker says.
        var shares = page.shares().stream()
                .flatMap(m -> links.url(request, m.share(), m.keyId()).map(url -> ShareView.of(m.share(), url)).stream())
                .toList();
        return ApiResponse.ok(new Response(shares, page.resumeAfter() == null ? null : Cursor.encode(page.resumeAfter())));
    }
}
