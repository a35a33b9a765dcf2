package io.skylift.backend.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.skylift.backend.http.ApiError;
import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.http.Router;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.keys.KeyRules;
import io.skylift.backend.storage.Bucket;
import io.skylift.backend.storage.Crc32c;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * {@code POST /v1/batch/uploads}: up to {@link Batch#MAX_ITEMS} creates in one call, each answered as
 * {@code POST /v1/uploads} would answer it. Every item is checked before any storage call, and one
 * refused item refuses the whole call; then each item gets its own result, in request order.
 *
 * <p>Whether a name is taken is asked of a listing, not a HEAD per item: the items of one folder are
 * listed once across the range their keys span, and only the keys it shows are read (for their size
 * and CRC32C, so a client can tell its own file from another). Thread-safe.
 *
 * <pre>{@code
 * POST /v1/batch/uploads {"uploads":[{"fileName":"a.jpg","size":10,"crc32c":"..."}]}
 * 200 {"uploads":[{"status":201,"upload":{"id":"...","key":"u/alice/a.jpg","single":{...}}}]}
 * }</pre>
 */
public final class CreateUploadBatch implements Router.Action {

    public record Request(List<CreateUpload.Request> uploads) implements Batch.Listing<CreateUpload.Request> {}

    public record Response(List<Item> uploads) {}

    /** One item's answer: {@code upload} for a 201, {@code error} otherwise, {@code stored} when the name is taken. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(int status, CreateUpload.Response upload, ApiResponse.ErrorBody.Detail error, Stored stored) {}

    /** The file that holds the name; {@code crc32c} is null when storage holds no full-object CRC32C. */
    public record Stored(String key, long size, String etag, String crc32c, Instant lastModified) {}

    /** Pages of one folder's listing before the rest of its items are read one by one. */
    static final int MAX_LIST_PAGES = 3;

    private final CreateUpload create;
    private final Bucket bucket;

    public CreateUploadBatch(CreateUpload create, Bucket bucket) {
        this.create = create;
        this.bucket = bucket;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Identity caller) {
        List<CreateUpload.Request> items = Batch.items(request, Request.class, "{\"uploads\":[{\"fileName\",\"size\",...}]}");
        List<CreateUpload.Checked> checked = new ArrayList<>(items.size());
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            CreateUpload.Checked upload;
            try {
                upload = create.check(items.get(i), caller);
            } catch (ApiError e) {
                throw Batch.refusedAt(i, e);
            }
            Integer earlier = seen.putIfAbsent(upload.key(), i);
            if (earlier != null) {
                throw Batch.invalid(Batch.place(i) + "names the same file as uploads[" + earlier + "] ('"
                        + KeyRules.fileNameOf(upload.key()) + "'); send each file once.");
            }
            checked.add(upload);
        }
        boolean[] mayExist = mayExist(checked);
        List<Item> results = Batch.each(checked.size(), i -> settle(checked.get(i), mayExist[i], caller, request));
        return ApiResponse.ok(new Response(results));
    }

    /**
     * For each item, whether its name may be taken and must be read: what a listing of its folder shows,
     * or true where no listing answers for it (a lone item, a folder past its pages, a refused listing).
     */
    private boolean[] mayExist(List<CreateUpload.Checked> items) {
        Map<String, List<Integer>> byFolder = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String key = items.get(i).key();
            byFolder.computeIfAbsent(key.substring(0, key.lastIndexOf('/') + 1), f -> new ArrayList<>()).add(i);
        }
        boolean[] mayExist = new boolean[items.size()];
        Arrays.fill(mayExist, true);
        List<Map.Entry<String, List<Integer>>> folders = byFolder.entrySet().stream()
                // One item: its HEAD costs no more than a listing would.
                .filter(folder -> folder.getValue().size() > 1)
                .toList();
        List<Optional<Bucket.KeyRange>> listings = Batch.each(folders.size(), f -> list(folders.get(f), items));
        for (int f = 0; f < folders.size(); f++) {
            Optional<Bucket.KeyRange> listing = listings.get(f);
            if (listing.isEmpty()) {
                continue;
            }
            for (int i : folders.get(f).getValue()) {
                String key = items.get(i).key();
                boolean covered = KeyRules.S3_ORDER.compare(key, listing.get().through()) <= 0;
                mayExist[i] = !covered || listing.get().keys().contains(key);
            }
        }
        return mayExist;
    }

    // A folder whose listing fails is read item by item, each answered as the single route would answer it.
    private Optional<Bucket.KeyRange> list(Map.Entry<String, List<Integer>> folder, List<CreateUpload.Checked> items) {
        List<String> keys = folder.getValue().stream().map(i -> items.get(i).key()).sorted(KeyRules.S3_ORDER).toList();
        try {
            return Optional.of(bucket.keysBetween(folder.getKey(), keys.getFirst(), keys.getLast(), MAX_LIST_PAGES));
        } catch (SdkException e) {
            return Optional.empty();
        }
    }

    private Item settle(CreateUpload.Checked upload, boolean mayExist, Identity caller, ApiRequest request) {
        try {
            Optional<HeadObjectResponse> there = mayExist ? bucket.head(upload.key()) : Optional.empty();
            if (there.isPresent()) {
                HeadObjectResponse head = there.get();
                var stored = new Stored(upload.key(), head.contentLength(), head.eTag(),
                        Crc32c.wholeObject(head.checksumCRC32C()), head.lastModified());
                ApiError taken = CreateUpload.objectExists(upload.key());
                return new Item(taken.status(), null, Batch.detail(taken, request), stored);
            }
            return new Item(201, create.start(upload, caller), null, null);
        } catch (RuntimeException e) {
            ApiError failure = Batch.failure(e);
            return new Item(failure.status(), null, Batch.detail(failure, request), null);
        }
    }
}
