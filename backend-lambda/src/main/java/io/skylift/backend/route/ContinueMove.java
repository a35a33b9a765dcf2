package io.skylift.backend.route;

import io.skylift.backend.http.ApiError;
import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.http.Router;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.signing.SealedMoveId;
import io.skylift.backend.signing.UploadSeal;
import io.skylift.backend.storage.Bucket;
import io.skylift.backend.storage.CopyLimits;
import io.skylift.backend.storage.Crc32c;
import io.skylift.backend.storage.StorageFailures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyPartResult;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code POST /v1/moves/{id}/continue}: copies the next parts of a multipart move, and once all are there,
 * completes the copy, checks it and removes the source. S3's ListParts, not the client, says which parts are
 * done, so a call repeated or lost costs nothing but time.
 *
 * <p>Each call starts part copies (UploadPartCopy, each only while the source's ETag holds) until its
 * {@link CopyLimits#budget} has passed, at most {@link CopyLimits#parallelism} at once, and always at least
 * one; then answers 202 with the parts done. A call therefore lasts the budget plus one part's copy. A source
 * changed since the move began aborts the multipart copy: 409 {@code SOURCE_CHANGED}, nothing left behind.
 * An upload gone with the source's copy at {@code to} (the same size and CRC32C) was completed by a call whose
 * answer was lost before the source was deleted: the source is deleted and the answer is 200 {@code done}.
 * Thread-safe: the copies of one call run on virtual threads of their own.
 */
public final class ContinueMove implements Router.Action {

    private final UploadSeal seal;
    private final Bucket bucket;
    private final CopyLimits limits;

    public ContinueMove(UploadSeal seal, Bucket bucket, CopyLimits limits) {
        this.seal = seal;
        this.bucket = bucket;
        this.limits = limits;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Identity caller) {
        long started = System.nanoTime();
        SealedMoveId id = seal.openMove(request.pathParam("id"), caller);
        Optional<HeadObjectResponse> source = bucket.head(id.from());
        if (source.isEmpty() || !id.etag().equals(source.get().eTag())) {
            // Gone: perhaps this move's own earlier call finished it and its answer was lost.
            Optional<Move.Done> done = source.isEmpty() ? finishedAlready(id) : Optional.empty();
            if (done.isPresent()) {
                return ApiResponse.ok(done.get());
            }
            bucket.abort(id.to(), id.s3UploadId());
            throw Move.sourceChanged(id.from());
        }
        Map<Integer, CompletedPart> done;
        try {
            done = listed(id);
        } catch (Bucket.UploadGone e) {
            // Completed by an earlier call whose answer was lost before the source was deleted: finish it.
            Optional<HeadObjectResponse> copy = bucket.head(id.to());
            if (copy.isPresent() && Move.isCopyOf(copy.get(), id.size(), id.crc32c())) {
                return ApiResponse.ok(Move.finishCopied(bucket, id.from(), id.to(), copy.get(), id.etag()));
            }
            // Cancelled, or its parts expired: the source is still where it was.
            throw notFound();
        }
        List<Integer> remaining = new ArrayList<>();
        for (int n = 1; n <= id.partCount(); n++) {
            if (!done.containsKey(n)) {
                remaining.add(n);
            }
        }
        done.putAll(copy(id, remaining, started));
        if (done.size() < id.partCount()) {
            return ApiResponse.json(202, new Move.Copying("copying", request.pathParam("id"), id.from(), id.to(), id.size(),
                    done.size(), id.partCount()));
        }
        complete(id, new ArrayList<>(done.values()));
        return ApiResponse.ok(Move.finish(bucket, id.from(), id.to(), id.size(), id.etag(), id.crc32c()));
    }

    // Parts storage holds with the planned size; one of another size (put there by other means) is copied again.
    private Map<Integer, CompletedPart> listed(SealedMoveId id) {
        Map<Integer, CompletedPart> done = new TreeMap<>();
        for (Part part : bucket.allParts(id.to(), id.s3UploadId(), id.partCount())) {
            int n = part.partNumber();
            if (n >= 1 && n <= id.partCount() && part.size() == id.lastByte(n) - id.firstByte(n) + 1) {
                done.put(n, CompletedPart.builder().partNumber(n).eTag(part.eTag())
                        .checksumCRC32C(Crc32c.wholeObject(part.checksumCRC32C())).build());
            }
        }
        return done;
    }

    private Map<Integer, CompletedPart> copy(SealedMoveId id, List<Integer> parts, long started) {
        Map<Integer, CompletedPart> copied = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        long deadline = started + limits.budget().toNanos();
        int workers = Math.min(limits.parallelism(), parts.size());
        // At most `parallelism` copies run; each worker takes the next part until the budget is spent.
        try (ExecutorService pool = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("move-copy-", 0).factory())) {
            for (int w = 0; w < workers; w++) {
                pool.submit(() -> {
                    while (failure.get() == null) {
                        int i = next.getAndIncrement();
                        // The first part of a call is always copied, so every call makes progress.
                        if (i >= parts.size() || (i > 0 && System.nanoTime() - deadline >= 0)) {
                            return;
                        }
                        int n = parts.get(i);
                        try {
                            CopyPartResult result = bucket.copyPart(id.from(), id.to(), id.s3UploadId(), n,
                                    id.firstByte(n), id.lastByte(n), id.etag());
                            copied.put(n, CompletedPart.builder().partNumber(n).eTag(result.eTag())
                                    .checksumCRC32C(Crc32c.wholeObject(result.checksumCRC32C())).build());
                        } catch (RuntimeException e) {
                            failure.compareAndSet(null, e);
                        }
                    }
                });
            }
        }
        RuntimeException failed = failure.get();
        if (failed != null) {
            throw partFailure(id, failed);
        }
        return copied;
    }

    private RuntimeException partFailure(SealedMoveId id, RuntimeException failed) {
        if (failed instanceof S3Exception e) {
            if (e.statusCode() == 412) {
                bucket.abort(id.to(), id.s3UploadId());
                return Move.sourceChanged(id.from());
            }
            if (e.statusCode() == 404 || StorageFailures.code(e).equals("NoSuchUpload")) {
                return notFound();
            }
        }
        // Anything else (throttling, a network failure) leaves the parts copied so far; the next call goes on.
        return failed;
    }

    private void complete(SealedMoveId id, List<CompletedPart> parts) {
        parts.sort(java.util.Comparator.comparingInt(CompletedPart::partNumber));
        try {
            bucket.complete(id.to(), id.s3UploadId(), parts, id.crc32c());
        } catch (S3Exception e) {
            String code = StorageFailures.code(e);
            if (e.statusCode() == 412) {
                bucket.abort(id.to(), id.s3UploadId());
                throw Move.objectExists(id.to());
            }
            if (e.statusCode() == 409) {
                throw Move.conflict(id.to());
            }
            if (code.equals("NoSuchUpload") || e.statusCode() == 404) {
                // A complete whose answer was lost and that was sent again: the copy is there (and is checked
                // next), or the move was cancelled meanwhile.
                if (bucket.head(id.to()).isEmpty()) {
                    throw notFound();
                }
                return;
            }
            if (code.equals("BadDigest") || code.equals("InvalidDigest") || code.equals("InvalidPart")) {
                bucket.abort(id.to(), id.s3UploadId());
                throw Move.sourceChanged(id.from());
            }
            throw e;
        }
    }

    /**
     * The move's result when an earlier call finished it (its answer lost): the source is gone and a copy of
     * its size (and CRC32C, where storage holds both) is at {@code to}.
     */
    private Optional<Move.Done> finishedAlready(SealedMoveId id) {
        Optional<HeadObjectResponse> copy = bucket.head(id.to());
        if (copy.isEmpty() || copy.get().contentLength() != id.size()) {
            return Optional.empty();
        }
        String crc = Crc32c.wholeObject(copy.get().checksumCRC32C());
        if (crc != null && id.crc32c() != null && !crc.equals(id.crc32c())) {
            return Optional.empty();
        }
        return Optional.of(new Move.Done("done", id.from(), id.to(), copy.get().contentLength(), copy.get().eTag(), crc));
    }

    private static ApiError notFound() {
        return ApiError.notFound("MOVE_NOT_FOUND", "This move no longer exists: it was cancelled, or its copied parts"
                + " expired. Start the move again.");
    }
}
