package io.skylift.backend.route;

import io.skylift.backend.http.ApiError;
import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.http.Router;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.keys.KeyRules;
import io.skylift.backend.storage.Bucket;
import io.skylift.backend.storage.StorageFailures;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * {@code POST /v1/batch/deletions}: up to {@link #MAX_KEYS} files of the caller's own folder deleted with one
 * S3 DeleteObjects call (quiet mode, so S3 answers only what failed). Every key is checked before the call,
 * exactly as {@link DeleteFile} checks its one key, and one bad key refuses the whole call.
 *
 * <p>Failures are named by their index into {@code keys}, never by key, so the answer stays small whatever
 * the keys' lengths: 1,000 failures weigh about 150 KB. Thread-safe.
 *
 * <pre>{@code
 * POST /v1/batch/deletions {"keys":["u/alice/a.jpg","u/alice/b.jpg"]}
 * 200 {"deleted":2,"failed":[]}
 * }</pre>
 */
public final class DeleteFileBatch implements Router.Action {

    public record Request(List<String> keys) {}

    public record Response(int deleted, List<Failure> failed) {}

    /** A key storage did not delete: its place in the request, and why, in the words the single route would use. */
    public record Failure(int index, String code, String message, boolean retryable) {}

    /** S3's own limit on one DeleteObjects call. */
    public static final int MAX_KEYS = 1000;

    private final KeyRules keys;
    private final Bucket bucket;

    public DeleteFileBatch(KeyRules keys, Bucket bucket) {
        this.keys = keys;
        this.bucket = bucket;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Identity caller) {
        List<String> checked = check(request, caller);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < checked.size(); i++) {
            index.put(checked.get(i), i);
        }
        List<Failure> failed = new ArrayList<>();
        for (S3Error error : bucket.deleteAll(checked)) {
            Integer at = index.get(error.key());
            if (at != null) {
                failed.add(failure(at, error));
            }
        }
        failed.sort(Comparator.comparingInt(Failure::index));
        return ApiResponse.ok(new Response(checked.size() - failed.size(), failed));
    }

    private List<String> check(ApiRequest request, Identity caller) {
        Request body;
        try {
            body = request.body(Request.class);
        } catch (ApiError e) {
            if (!e.code().equals("BODY_MISSING")) {
                throw e;
            }
            body = null;
        }
        List<String> given = body == null ? null : body.keys();
        if (given == null || given.isEmpty() || given.size() > MAX_KEYS) {
            throw Batch.invalid("Send 1 to " + MAX_KEYS + " keys as {\"keys\":[\"u/...\"]}; this call held "
                    + (given == null ? "none" : given.size()) + ".");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < given.size(); i++) {
            String key = given.get(i);
            if (key == null) {
                throw Batch.invalid(Batch.place("keys", i) + "is null; every key must be a string.");
            }
            try {
                keys.deletableKey(caller, key, "key");
            } catch (ApiError e) {
                throw Batch.refusedAt("keys", i, e);
            }
            Integer earlier = seen.putIfAbsent(key, i);
            if (earlier != null) {
                throw Batch.invalid(Batch.place("keys", i) + "is the same key as keys[" + earlier + "]; send each key once.");
            }
        }
        return given;
    }

    // S3's message is not echoed: it can name the bucket.
    private static Failure failure(int index, S3Error error) {
        String code = error.code() == null ? "" : error.code();
        return switch (code) {
            case "SlowDown", "InternalError", "ServiceUnavailable" ->
                    new Failure(index, "STORAGE_BUSY", "Storage could not delete this file now; try it again shortly.", true);
            case "AccessDenied" -> new Failure(index, "STORAGE_ERROR",
                    "Storage refused to delete this file (AccessDenied); tell your administrator.", false);
            default -> new Failure(index, "STORAGE_ERROR", "Storage could not delete this file (" + StorageFailures.safeCode(code)
                    + "); try it again or tell your administrator.", true);
        };
    }
}
