package io.skylift.backend.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.skylift.backend.http.ApiError;
import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.http.Router;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.signing.SealedUploadId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/batch/completions}: up to {@link Batch#MAX_ITEMS} completes in one call, each answered
 * as {@code POST /v1/uploads/{id}/complete} would answer it. Every id is opened and every body checked
 * before any storage call, and one refused item refuses the whole call; then each item gets its own
 * result, in request order. Thread-safe.
 *
 * <pre>{@code
 * POST /v1/batch/completions {"uploads":[{"id":"...","crc32c":"yZRlqg=="}]}
 * 200 {"uploads":[{"status":200,"completed":{"key":"u/alice/a.jpg","size":10,"etag":"...","crc32c":"yZRlqg=="}}]}
 * }</pre>
 */
public final class CompleteUploadBatch implements Router.Action {

    /** One complete: the upload's id and exactly the body of its single complete. */
    public record Entry(String id, String crc32c, List<SignParts.PartRef> parts) {}

    public record Request(List<Entry> uploads) implements Batch.Listing<Entry> {}

    public record Response(List<Item> uploads) {}

    /** One item's answer: {@code completed} for a 200, {@code error} otherwise. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(int status, CompleteUpload.Response completed, ApiResponse.ErrorBody.Detail error) {}

    private final CompleteUpload complete;

    public CompleteUploadBatch(CompleteUpload complete) {
        this.complete = complete;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Identity caller) {
        List<Entry> entries = Batch.items(request, Request.class, "{\"uploads\":[{\"id\",\"crc32c\"}]}");
        List<CompleteUpload.Checked> checked = new ArrayList<>(entries.size());
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            try {
                SealedUploadId id = complete.open(entry.id(), caller);
                checked.add(complete.check(id, new CompleteUpload.Request(entry.crc32c(), entry.parts())));
            } catch (ApiError e) {
                throw Batch.refusedAt(i, e);
            }
            Integer earlier = seen.putIfAbsent(entry.id(), i);
            if (earlier != null) {
                throw Batch.invalid(Batch.place(i) + "is the same upload as uploads[" + earlier + "]; complete each upload once.");
            }
        }
        List<Item> results = Batch.each(checked.size(), i -> settle(checked.get(i), request));
        return ApiResponse.ok(new Response(results));
    }

    private Item settle(CompleteUpload.Checked upload, ApiRequest request) {
        try {
            return new Item(200, complete.complete(upload), null);
        } catch (RuntimeException e) {
            ApiError failure = Batch.failure(e);
            return new Item(failure.status(), null, Batch.detail(failure, request));
        }
    }
}
