package io.skylift.backend.route;

import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.http.Cursor;
import io.skylift.backend.http.PageBudget;
import io.skylift.backend.http.Router;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.keys.KeyRules;
import io.skylift.backend.signing.SealedUploadId;
import io.skylift.backend.signing.UploadSeal;
import io.skylift.backend.storage.Bucket;
import io.skylift.backend.storage.S3Limits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * {@code GET /v1/uploads?cursor=}: the caller's unfinished uploads, for resuming elsewhere or
 * cleaning up. Their ids may list parts and abort; the plan they were made with is not known here.
 */
public final class ListUploads implements Router.Action {

    public record Response(List<Unfinished> uploads, String nextCursor) {}

    public record Unfinished(String id, String key, Instant initiated) {}

    private final KeyRules keys;
    private final UploadSeal seal;
    private final Bucket bucket;

    public ListUploads(KeyRules keys, UploadSeal seal, Bucket bucket) {
        this.keys = keys;
        this.seal = seal;
        this.bucket = bucket;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Identity caller) {
        String prefix = keys.ownPrefix(caller);
        String keyMarker = null;
        String idMarker = null;
        if (request.query("cursor").isPresent()) {
            String[] point = Cursor.decode(request.query("cursor").get()).split("\n", 2);
            if (point.length != 2 || !point[0].startsWith(prefix)) {
                throw Cursor.invalid();
            }
            keyMarker = point[0];
            idMarker = point[1];
        }
        var page = bucket.uploadsPage(prefix, keyMarker, idMarker, S3Limits.MAX_LIST_PAGE);
        PageBudget budget = new PageBudget();
        List<Unfinished> uploads = new ArrayList<>();
        MultipartUpload lastIncluded = null;
        boolean cut = false;
        for (MultipartUpload upload : after(page.uploads(), keyMarker, idMarker)) {
            if (!upload.key().startsWith(prefix)) {
                continue;
            }
            var id = new SealedUploadId(caller.subject(), upload.key(), upload.uploadId(), 0, 0, 0, SealedUploadId.Scope.MANAGE);
            var item = new Unfinished(seal.seal(id), upload.key(), upload.initiated());
            if (uploads.size() == S3Limits.MAX_LIST_PAGE || !budget.admit(item)) {
                cut = true;
                break;
            }
            uploads.add(item);
            lastIncluded = upload;
        }
        String next = null;
        if ((cut || Boolean.TRUE.equals(page.isTruncated())) && lastIncluded != null) {
            next = Cursor.encode(lastIncluded.key() + "\n" + lastIncluded.uploadId());
        }
        return ApiResponse.ok(new Response(uploads, next));
    }

    // Storage servers that ignore the markers would repeat the last page forever; skip what came before.
    private static List<MultipartUpload> after(List<MultipartUpload> uploads, String keyMarker, String idMarker) {
        if (keyMarker == null) {
            return uploads;
        }
        List<MultipartUpload> rest = new ArrayList<>();
        boolean passedMarker = false;
        for (MultipartUpload upload : uploads) {
            int order = KeyRules.S3_ORDER.compare(upload.key(), keyMarker);
            if (order > 0 || (order == 0 && passedMarker)) {
                rest.add(upload);
            } else if (order == 0 && upload.uploadId().equals(idMarker)) {
                passedMarker = true;
            }
        }
        return rest;
    }
}
