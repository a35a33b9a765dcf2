package io.skylift.backend.route;

import io.skylift.backend.http.ApiError;
import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.http.Router;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.signing.SealedUploadId;
import io.skylift.backend.signing.UploadSeal;
import io.skylift.backend.storage.Bucket;
import io.skylift.backend.storage.Crc32c;
import io.skylift.backend.storage.S3Limits;
import java.util.List;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * {@code GET /v1/uploads/{id}/parts?cursor=}: the parts S3 already holds, a page at a time; how a
 * client resumes after a crash (S3, not the client's journal, is the truth).
 */
public final class ListParts implements Router.Action {

    public record Response(List<StoredPart> parts, String nextCursor) {}

    public record StoredPart(int partNumber, long size, String etag, String crc32c) {}

    private final UploadSeal seal;
    private final Bucket bucket;

    public ListParts(UploadSeal seal, Bucket bucket) {
        this.seal = seal;
        this.bucket = bucket;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Identity caller) {
        SealedUploadId id = seal.open(request.pathParam("id"), caller);
        int marker = cursor(request.query("cursor").orElse(null));
        if (id.isSingle()) {
            return ApiResponse.ok(new Response(List.of(), null));
        }
        List<Part> page;
        try {
            page = bucket.partsPage(id.key(), id.s3UploadId(), marker, S3Limits.MAX_LIST_PAGE);
        } catch (Bucket.UploadGone e) {
            throw ApiError.notFound("UPLOAD_NOT_FOUND", "This upload no longer exists: it was finished, cancelled or expired.");
        }
        List<StoredPart> parts = page.stream()
                .map(p -> new StoredPart(p.partNumber(), p.size(), p.eTag(), Crc32c.wholeObject(p.checksumCRC32C())))
                .toList();
        // A full page may have more behind it; an empty next page is cheaper than a missed part.
        String next = parts.size() == S3Limits.MAX_LIST_PAGE ? String.valueOf(parts.getLast().partNumber()) : null;
        return ApiResponse.ok(new Response(parts, next));
    }

    private static int cursor(String value) {
        if (value == null) {
            return 0;
        }
        try {
            int marker = Integer.parseInt(value);
            if (marker >= 0 && marker <= S3Limits.MAX_PARTS) {
                return marker;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiError.badRequest("CURSOR_INVALID", "cursor must be a nextCursor from a previous page.");
    }
}
