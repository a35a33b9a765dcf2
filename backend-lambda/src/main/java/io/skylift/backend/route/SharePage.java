package io.skylift.backend.route;

import io.skylift.backend.http.ApiError;
import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.http.Cursor;
import io.skylift.backend.http.Router;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.keys.KeyRules;
import io.skylift.backend.share.PublicShare;
import io.skylift.backend.share.SharePageHtml;
import io.skylift.backend.share.SharedFile;
import io.skylift.backend.signing.SealedShare;
import io.skylift.backend.storage.Archive;
import io.skylift.backend.storage.Bucket;
import io.skylift.backend.storage.S3Limits;
import java.util.List;

/**
 * {@code GET /s/{token}[?after=]}, public: the page of a share. A folder's page lists the folder as it is
 * now, a page of at most 1,000 files (fewer when their names are long), and links to the next.
 * Names are shown below the shared folder: the page never shows the owner's folder or any other key.
 * Two storage calls: the share's marker, then the file or one listing page. Thread-safe.
 */
public final class SharePage implements Router.Action {

    private final PublicShare shares;
    private final Bucket bucket;

    public SharePage(PublicShare shares, Bucket bucket) {
        this.shares = shares;
        this.bucket = bucket;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Identity nobody) {
        String token = request.pathParam("token");
        return shares.answer(token, share -> share.folder() ? folder(request, token, share) : file(token, share));
    }

    private ApiResponse file(String token, SealedShare share) {
        var head = bucket.head(share.target()).orElseThrow(PublicShare::noSuchFile);
        Archive archive = Archive.of(head);
        var file = SharedFile.of(KeyRules.fileNameOf(share.target()), head.contentLength(), archive != null && !archive.downloads());
        return SharePageHtml.page(token, share.name(), false, share.expires(), List.of(file), null, false);
    }

    private ApiResponse folder(ApiRequest request, String token, SealedShare share) {
        String prefix = share.target();
        String after = null;
        if (request.query("after").isPresent()) {
            // The cursor names a file below the share, never a key: the page tells no one the owner's folder.
            try {
                after = prefix + Cursor.decode(request.query("after").get());
            } catch (ApiError e) {
                throw PublicShare.noSuchFile();
            }
        }
        var page = bucket.objectsPageWithRestoreStatus(prefix, after, null, S3Limits.MAX_LIST_PAGE);
        String floor = after;
        var listed = page.contents().stream()
                .filter(o -> o.key().startsWith(prefix))
                .filter(o -> floor == null || KeyRules.S3_ORDER.compare(o.key(), floor) > 0)
                .sorted((a, b) -> KeyRules.S3_ORDER.compare(a.key(), b.key()))
                .limit(S3Limits.MAX_LIST_PAGE)
                .toList();
        List<SharedFile> files = listed.stream()
                .filter(o -> !o.key().endsWith("/"))
                .map(o -> {
                    Archive archive = Archive.listed(o);
                    return SharedFile.of(o.key().substring(prefix.length()), o.size(), archive != null && !archive.downloads());
                })
                .toList();
        int fit = SharePageHtml.fitting(token, files);
        List<SharedFile> shown = files.subList(0, fit);
        String more = null;
        if (fit < files.size()) {
            more = Cursor.encode(shown.getLast().path());
        } else if (Boolean.TRUE.equals(page.isTruncated()) && !listed.isEmpty()) {
            // Resume after the last key listed, a folder marker ("a/") included, so a page of only those still moves on.
            more = Cursor.encode(listed.getLast().key().substring(prefix.length()));
        }
        return SharePageHtml.page(token, share.name(), true, share.expires(), shown, more, after != null);
    }
}
