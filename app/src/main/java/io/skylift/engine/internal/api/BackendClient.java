package io.skylift.engine.internal.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skylift.engine.internal.retry.Backoff;
import io.skylift.engine.internal.retry.RetryPolicy;
import io.skylift.json.Json;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The Skylift API as Java calls. What can succeed later (network failures, 429, 5xx and answers
 * marked retryable) is tried again as {@link RetryPolicy#decideCall} says, with {@link Backoff#API},
 * sleeping between attempts on the calling thread; everything else becomes an
 * {@link ApiCallException} carrying the API's own message. Thread-safe.
 *
 * <p>Part workers must not sleep: they use {@link #oneAttempt()}, whose calls are made once, and turn
 * a retryable failure into a delayed resubmit of their job, asking {@link #decide} how long to wait.
 *
 * <p>The token is read from the supplier on every call, so a refreshed token is used at once. It is
 * sent only in the Authorization header and never appears in exceptions.
 *
 * <pre>{@code
 * var api = new BackendClient(http, URI.create("https://api.example"), () -> token, Backoff.API);
 * Wire.DownloadGrant grant = api.download("u/me/photos/a.jpg");
 * }</pre>
 */
public final class BackendClient {

    /** The guard of the transfer whose flow runs on this thread, if any (see {@link CallGuard}). */
    public static final ScopedValue<CallGuard> FLOW = ScopedValue.newInstance();

    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final ObjectMapper JSON = Json.WIRE;

    private final OkHttpClient http;
    private final HttpUrl api;
    private final Supplier<String> token;
    private final RetryPolicy policy;
    private final boolean retrying;
    // Who is signed in and the server's limits, asked once: by the first caller, the others wait for it.
    private final AtomicReference<java.util.concurrent.CompletableFuture<Wire.Me>> known;
    private final BackendClient oneAttempt;

    public BackendClient(OkHttpClient http, URI api, Supplier<String> token, Backoff backoff) {
        HttpUrl parsed = HttpUrl.parse(api.toString());
        if (parsed == null) {
            throw new IllegalArgumentException("Not an http(s) URL: " + api);
        }
        this.http = http;
        this.api = parsed;
        this.token = token;
        this.policy = new RetryPolicy(backoff);
        this.retrying = true;
        this.known = new AtomicReference<>();
        this.oneAttempt = new BackendClient(this);
    }

    private BackendClient(BackendClient retrying) {
        this.http = retrying.http;
        this.api = retrying.api;
        this.token = retrying.token;
        this.policy = retrying.policy;
        this.retrying = false;
        this.known = retrying.known;
        this.oneAttempt = this;
    }

    public URI api() {
        return api.uri();
    }

    /** The same API, each call made once: for part workers, which must not sleep between attempts. */
    public BackendClient oneAttempt() {
        return oneAttempt;
    }

    /**
     * Whether to try a failed call again, and after how long.
     *
     * @param attempts failed attempts of this call so far, this one included
     * @return a {@link RetryPolicy.Retry} or a {@link RetryPolicy.GiveUp}
     */
    public RetryPolicy.Decision decide(ApiCallException failure, int attempts) {
        // Retrying a raced complete cannot help: its retry is a new upload, which the run makes.
        // Nor a refusal for an archived file: its restore takes minutes to hours, not seconds.
        return policy.decideCall(failure.isRetryable() && !failure.startsOver() && !failure.archived(), attempts, failure.getMessage());
    }

    /** Asks afresh (a sign-in check); what it learns also serves {@link #limits()} and {@link #home()}. */
    public Wire.Me me() {
        Wire.Me me = call("GET", url("v1", "me").build(), null, Wire.Me.class);
        known.compareAndSet(null, java.util.concurrent.CompletableFuture.completedFuture(me));
        return me;
    }

    /** The limits the server announces, asked once per client: they do not change while it runs. */
    public Wire.Limits limits() {
        return known().limits();
    }

    /** The signed-in person's own folder ({@code u/<sub>/}), asked once per client. */
    public String home() {
        return known().home();
    }

    // A folder's first 128 flows all ask at once: one call, not 128 (each a connection and a round trip).
    private Wire.Me known() {
        while (true) {
            var mine = new java.util.concurrent.CompletableFuture<Wire.Me>();
            var asked = known.compareAndExchange(null, mine);
            if (asked == null) {
                try {
                    Wire.Me me = me();
                    mine.complete(me);
                    return me;
                } catch (RuntimeException e) {
                    known.compareAndSet(mine, null);
                    mine.completeExceptionally(e);
                    throw e;
                }
            }
            try {
                return asked.join();
            } catch (java.util.concurrent.CompletionException e) {
                // The one asking failed, or was paused: this caller asks for itself, with its own retries.
            }
        }
    }

    public Wire.CreatedUpload createUpload(Wire.CreateUpload request) {
        return call("POST", url("v1", "uploads").build(), request, Wire.CreatedUpload.class);
    }

    /** Up to {@link CreateBatcher#MAX_BATCH} creates in one call; one result per request, in order. */
    public List<Wire.CreateResult> createBatch(List<Wire.CreateUpload> requests) {
        return call("POST", url("v1", "batch", "uploads").build(), new Wire.CreateBatch(requests), Wire.CreateResults.class).uploads();
    }

    public List<Wire.SignedPart> signParts(String uploadId, List<Wire.PartRef> parts) {
        return call("POST", url("v1", "uploads", uploadId, "parts", "sign").build(), new Wire.SignRequest(parts),
                Wire.SignedParts.class).parts();
    }

    /** Every part storage holds, across all pages. */
    public List<Wire.StoredPart> storedParts(String uploadId) {
        List<Wire.StoredPart> all = new ArrayList<>();
        String cursor = null;
        do {
            var url = url("v1", "uploads", uploadId, "parts");
            if (cursor != null) {
                url.addQueryParameter("cursor", cursor);
            }
            Wire.PartsPage page = call("GET", url.build(), null, Wire.PartsPage.class);
            all.addAll(page.parts());
            cursor = page.nextCursor();
        } while (cursor != null);
        return all;
    }

    public Wire.Completed complete(String uploadId, Wire.Complete request) {
        return call("POST", url("v1", "uploads", uploadId, "complete").build(), request, Wire.Completed.class);
    }

    public void abort(String uploadId) {
        call("DELETE", url("v1", "uploads", uploadId).build(), null, Void.class);
    }

    public Wire.FilesPage files(String prefix, boolean folders, String cursor) {
        var url = url("v1", "files");
        if (prefix != null && !prefix.isEmpty()) {
            url.addQueryParameter("prefix", prefix);
        }
        if (folders) {
            url.addQueryParameter("delimiter", "/");
        }
        if (cursor != null) {
            url.addQueryParameter("cursor", cursor);
        }
        return call("GET", url.build(), null, Wire.FilesPage.class);
    }

    public Wire.DownloadGrant download(String key) {
        return call("POST", url("v1", "downloads").build(), new Wire.DownloadRequest(key), Wire.DownloadGrant.class);
    }

    /** Deletes one file: {@code DELETE /v1/files?key=}. */
    public void deleteFile(String key) {
        call("DELETE", url("v1", "files").addQueryParameter("key", key).build(), null, Void.class);
    }

    /** Deletes up to 1,000 files in one call; every key is checked before any is deleted. */
    public Wire.Deleted deleteBatch(List<String> keys) {
        return call("POST", url("v1", "batch", "deletions").build(), new Wire.Deletions(keys), Wire.Deleted.class);
    }

    /** Starts a move: done at once up to 5 GiB, else copying, to {@link #continueMove} until done. */
    public Wire.MoveState move(String from, String to) {
        return call("POST", url("v1", "moves").build(), new Wire.MoveRequest(from, to), Wire.MoveState.class);
    }

    /** Copies more parts of a large move, for about 15 s; done once the answer says so. */
    public Wire.MoveState continueMove(String moveId) {
        return call("POST", url("v1", "moves", moveId, "continue").build(), null, Wire.MoveState.class);
    }

    /** Gives up a large move part way: its copied parts are freed, the source stays. */
    public void abortMove(String moveId) {
        call("DELETE", url("v1", "moves", moveId).build(), null, Void.class);
    }

    /** Asks storage to restore an archived file for {@code days}: restoring, or already restored. */
    public Wire.Restore restore(String key, int days, String tier) {
        return call("POST", url("v1", "restores").build(), new Wire.RestoreRequest(key, days, tier), Wire.Restore.class);
    }

    /** Makes a share link to a file or a folder, for {@code expiresInSeconds} (null: the service's default). */
    public Wire.Share createShare(String key, String prefix, Long expiresInSeconds) {
        return call("POST", url("v1", "shares").build(), new Wire.ShareRequest(key, prefix, expiresInSeconds), Wire.Share.class);
    }

    /** A page of the caller's live shares; {@code cursor} null for the first. */
    public Wire.SharesPage shares(String cursor) {
        HttpUrl.Builder url = url("v1", "shares");
        if (cursor != null) {
            url.addQueryParameter("cursor", cursor);
        }
        return call("GET", url.build(), null, Wire.SharesPage.class);
    }

    /** Revokes a share: its link stops working. */
    public void revokeShare(String id) {
        call("DELETE", url("v1", "shares", id).build(), null, Void.class);
    }

    private HttpUrl.Builder url(String... segments) {
        HttpUrl.Builder builder = api.newBuilder();
        for (String segment : segments) {
            builder.addPathSegment(segment);
        }
        return builder;
    }

    private <T> T call(String method, HttpUrl url, Object body, Class<T> type) {
        String what = method + " " + url.encodedPath().replaceAll("/(uploads|moves|shares)/[^/]+", "/$1/{id}");
        CallGuard guard = FLOW.isBound() ? FLOW.get() : null;
        for (int attempt = 1; ; attempt++) {
            ApiCallException failure;
            try {
                if (guard != null) {
                    guard.checkpoint();
                }
                return once(method, url, body, type, guard);
            } catch (ApiCallException e) {
                failure = e;
            }
            if (guard != null) {
                guard.checkpoint(); // a call cut off by a pause is not a failure to retry
            }
            if (!retrying || !(decide(failure, attempt) instanceof RetryPolicy.Retry retry)) {
                throw failure;
            }
            try {
                waitBeforeRetry(retry.delay(), guard);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiCallException(0, "INTERRUPTED", what + " was interrupted", false, e);
            }
        }
    }

    // In short steps on a flow's thread, so a pause during the backoff ends it within a tenth of a second.
    static void waitBeforeRetry(java.time.Duration delay, CallGuard guard) throws InterruptedException {
        long end = System.nanoTime() + delay.toNanos();
        for (long left = delay.toNanos(); left > 0; left = end - System.nanoTime()) {
            Thread.sleep(java.time.Duration.ofNanos(guard == null ? left : Math.min(left, 100_000_000L)));
            if (guard != null) {
                guard.checkpoint();
            }
        }
    }

    private <T> T once(String method, HttpUrl url, Object body, Class<T> type, CallGuard guard) {
        var request = new Request.Builder().url(url).header("Accept", "application/json");
        String bearer;
        try {
            bearer = token.get();
        } catch (java.io.UncheckedIOException expired) {
            // The sign-in could not be renewed (refresh refused or unreachable): the person must sign in again.
            throw new ApiCallException(401, "SIGN_IN_EXPIRED", expired.getMessage(), false, expired);
        }
        if (bearer != null && !bearer.isBlank()) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            request.method(method, body == null ? (method.equals("POST") ? RequestBody.create(new byte[0], JSON_TYPE) : null)
                    : RequestBody.create(JSON.writeValueAsBytes(body), JSON_TYPE));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write " + body.getClass().getSimpleName(), e);
        }
        okhttp3.Call call = http.newCall(request.build());
        if (guard != null) {
            guard.opened(call);
        }
        try (Response response = call.execute()) {
            byte[] bytes = response.body().bytes();
            if (response.isSuccessful()) {
                return type == Void.class || bytes.length == 0 ? null : JSON.readValue(bytes, type);
            }
            throw refusal(response.code(), bytes);
        } catch (InterruptedIOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new ApiCallException(0, "INTERRUPTED", "The call to the Skylift API was interrupted", false, e);
            }
            throw unreachable(e);
        } catch (IOException e) {
            throw unreachable(e);
        } finally {
            if (guard != null) {
                guard.closed(call);
            }
        }
    }

    private ApiCallException unreachable(IOException e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new ApiCallException(0, "UNREACHABLE", "Cannot reach the Skylift API at " + api.scheme() + "://" + api.host() + ":"
                + api.port() + " (" + detail + "). Check the API URL and your network.", true, e);
    }

    private static ApiCallException refusal(int status, byte[] bytes) {
        Wire.ErrorBody body = null;
        try {
            body = JSON.readValue(bytes, Wire.ErrorBody.class);
        } catch (IOException ignored) {
            // not our error shape: described by status below
        }
        if (status == 401) {
            return new ApiCallException(401, "UNAUTHENTICATED",
                    "The Skylift API did not accept the sign-in token (401). Sign in again, or check --token / SKYLIFT_TOKEN.", false, null);
        }
        if (body != null && body.error() != null) {
            var e = body.error();
            return new ApiCallException(status, e.code(), e.message() + " (" + e.code() + ")", e.retryable() || status == 429, null);
        }
        boolean transientStatus = status == 429 || status >= 500;
        return new ApiCallException(status, "HTTP_" + status, "The Skylift API answered HTTP " + status
                + (transientStatus ? "; it may be overloaded or restarting." : "."), transientStatus, null);
    }
}
