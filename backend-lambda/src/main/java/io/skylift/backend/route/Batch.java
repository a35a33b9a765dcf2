package io.skylift.backend.route;

import io.skylift.backend.http.ApiError;
import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.storage.StorageFailures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What the batch routes share: how many items one call may hold, how a refused item is named, how an
 * item's failure becomes its result, and how many storage calls of one batch run at once.
 *
 * <p>Stateless; {@link #each} may be called from many threads, each call using threads of its own.
 */
final class Batch {

    /** Items per call: 100 single-PUT grants of the longest keys stay far below 1 MB. */
    static final int MAX_ITEMS = 100;

    /**
     * Storage calls of one batch in flight at once. 100 items of two calls each (HEAD, then a multipart
     * create) are 25 rounds: at S3's tens of milliseconds a call, well inside API Gateway's 29 s, and
     * few enough connections that one batch does not crowd S3 or the function's memory.
     */
    static final int PARALLELISM = 8;

    private Batch() {}

    /**
     * The request's items, checked for count before any one of them is looked at.
     *
     * @throws ApiError 400 {@code BATCH_INVALID} for no body, no list, no items, or more than {@link #MAX_ITEMS}
     */
    static <T> List<T> items(ApiRequest request, Class<? extends Listing<T>> type, String example) {
        Listing<T> body;
        try {
            body = request.body(type);
        } catch (ApiError e) {
            if (!e.code().equals("BODY_MISSING")) {
                throw e;
            }
            body = null;
        }
        List<T> items = body == null ? null : body.uploads();
        if (items == null || items.isEmpty() || items.size() > MAX_ITEMS) {
            throw invalid("Send 1 to " + MAX_ITEMS + " items as " + example + "; this call held "
                    + (items == null ? "none" : items.size()) + ".");
        }
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) == null) {
                throw invalid(place(i) + "is null; every item must be an object.");
            }
        }
        return items;
    }

    /** A batch request's body: its one list of items. */
    interface Listing<T> {
        List<T> uploads();
    }

    /** An item's refusal as the whole request's: the same status and code, the message led by the item's place. */
    static ApiError refusedAt(int index, ApiError refusal) {
        return refusedAt("uploads", index, refusal);
    }

    /** As {@link #refusedAt(int, ApiError)}, for an item of the request's list named {@code list}. */
    static ApiError refusedAt(String list, int index, ApiError refusal) {
        return new ApiError(refusal.status(), refusal.code(), place(list, index) + refusal.getMessage(), refusal.isRetryable());
    }

    static ApiError invalid(String message) {
        return ApiError.badRequest("BATCH_INVALID", message);
    }

    static String place(int index) {
        return place("uploads", index);
    }

    static String place(String list, int index) {
        return list + "[" + index + "]: ";
    }

    /** An item's failure as the single route would answer it: its own error, storage's mapped once, or a retryable 500. */
    static ApiError failure(RuntimeException e) {
        if (e instanceof ApiError error) {
            return error;
        }
        if (e instanceof SdkException storage) {
            return StorageFailures.map(storage);
        }
        // Still this item's alone: failing the whole call would strand what the other items created.
        return new ApiError(500, "INTERNAL", "Something went wrong on our side with this file (" + e.getClass().getSimpleName()
                + "); try it again.", true);
    }

    static ApiResponse.ErrorBody.Detail detail(ApiError error, ApiRequest request) {
        return new ApiResponse.ErrorBody.Detail(error.code(), error.getMessage(), error.isRetryable(), request.requestId());
    }

    /**
     * Runs {@code work} for items 0..count-1, at most {@link #PARALLELISM} at a time, and returns the
     * results in item order. {@code work} answers each item's own failure itself; anything it throws is
     * a fault of the whole request and is thrown here once every item has finished.
     */
    static <R> List<R> each(int count, IntFunction<R> work) {
        if (count <= 1) {
            return count == 0 ? List.of() : List.of(work.apply(0));
        }
        // At most MAX_ITEMS tasks wait in the pool's queue; it lives for one batch only.
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLELISM, count),
                Thread.ofVirtual().name("batch-storage-", 0).factory())) {
            List<Future<R>> pending = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int item = i;
                pending.add(pool.submit(() -> work.apply(item)));
            }
            List<R> results = new ArrayList<>(count);
            for (Future<R> result : pending) {
                results.add(join(result));
            }
            return results;
        }
    }

    private static <R> R join(Future<R> result) {
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while a batch's storage calls ran", e);
        }
    }
}
