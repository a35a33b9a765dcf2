package io.skylift.engine.internal.api;

import io.skylift.engine.internal.retry.RetryPolicy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns the creates of many uploads into few calls of {@code POST /v1/batch/uploads}. Each flow asks
 * for its own create and waits; the asks that arrive while a call is out go together in the next one,
 * up to {@value #MAX_BATCH}, with at most {@value #MAX_CALLS} calls out at once. A call that could
 * take more waits up to {@value #LINGER_MILLIS} ms for them: a folder's files reach their create about
 * as fast as the workers finish PUTs, so without it each call would carry a handful, and each call
 * costs the backend a listing. Creates run well ahead of the PUTs, so the wait costs no throughput;
 * a lone file waits that long once.
 *
 * <p>An API without the batch route (an older backend answers 404 or 405) is asked one create at a
 * time from then on. A batch refused as a whole (the backend checks every item before any storage
 * call, so one file the backend refuses refuses its batch) is asked again item by item, so that each
 * file gets its own answer.
 *
 * <p>An item that storage could not serve for now (503 for that item alone) is asked again in a later
 * batch, as {@link BackendClient#decide} says for a call; a batch call that failed is already retried
 * by the API client, so its last failure is final for every item in it.
 *
 * <p>A flow that stops while it waits (a pause) leaves its ask behind; if storage then answers it
 * with a multipart upload, that upload is cancelled, so nothing is left half made. Thread-safe.
 *
 * <pre>{@code
 * switch (batcher.create(request)) {
 *     case CreateBatcher.Created c -> send(c.upload());
 *     case CreateBatcher.Taken t -> compare(t.stored());
 * }
 * }</pre>
 */
public final class CreateBatcher implements AutoCloseable {

    /** Items in one call: the API's own limit. */
    public static final int MAX_BATCH = 100;
    /** Batch calls out at once: one answering while the next fills. */
    static final int MAX_CALLS = 2;
    private static final long WAIT_POLL_MILLIS = 100;
    static final long LINGER_MILLIS = 20;

    /** What storage made of one create. */
    public sealed interface Outcome permits Created, Taken {}

    /** The upload exists: a single PUT grant inline, or a multipart upload to send parts to. */
    public record Created(Wire.CreatedUpload upload) implements Outcome {}

    /**
     * The name holds a file already. {@code stored} describes it, or is null when the API did not say
     * (the single route's {@code OBJECT_EXISTS} carries no description).
     */
    public record Taken(Wire.StoredObject stored) implements Outcome {}

    private record Ask(Wire.CreateUpload request, CompletableFuture<Outcome> answer) {}

    private final BackendClient api;
    private final Object lock = new Object();
    // Bounded by the flows that can wait at once (FlowQueue's lanes), not here.
    private final ArrayDeque<Ask> waiting = new ArrayDeque<>();
    private int calls; // guarded by lock
    private volatile boolean batchRouteMissing;
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

    public CreateBatcher(BackendClient api) {
        this.api = api;
    }

    /**
     * Creates one upload, in a batch with whatever else is waiting, and waits for its answer. On a
     * flow's thread a pause ends the wait (the flow's {@link CallGuard} throws).
     *
     * @throws ApiCallException when storage or the API refused this item
     */
    public Outcome create(Wire.CreateUpload request) {
        CallGuard guard = BackendClient.FLOW.isBound() ? BackendClient.FLOW.get() : null;
        for (int attempt = 1; ; attempt++) {
            try {
                return createOnce(request);
            } catch (ItemRefused refused) {
                if (!(api.decide(refused.failure(), attempt) instanceof RetryPolicy.Retry retry)) {
                    throw refused.failure();
                }
                try {
                    BackendClient.waitBeforeRetry(retry.delay(), guard);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ApiCallException(0, "INTERRUPTED", "The create was interrupted", false, e);
                }
            }
        }
    }

    /** This item's own refusal in a batch that otherwise went through: the item may be asked again. */
    private static final class ItemRefused extends RuntimeException {
        private final ApiCallException failure;

        ItemRefused(ApiCallException failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }

        ApiCallException failure() {
            return failure;
        }
    }

    private Outcome createOnce(Wire.CreateUpload request) {
        if (batchRouteMissing) {
            return alone(request);
        }
        Ask ask = new Ask(request, new CompletableFuture<>());
        boolean startCall;
        synchronized (lock) {
            waiting.add(ask);
            if (waiting.size() >= MAX_BATCH) {
                lock.notifyAll(); // a full batch need not wait
            }
            startCall = calls < MAX_CALLS;
            if (startCall) {
                calls++;
            }
        }
        if (startCall) {
            callers.execute(this::drain);
        }
        return await(ask);
    }

    private Outcome await(Ask ask) {
        CallGuard guard = BackendClient.FLOW.isBound() ? BackendClient.FLOW.get() : null;
        Outcome answer = null;
        try {
            while (true) {
                try {
                    answer = ask.answer().get(WAIT_POLL_MILLIS, TimeUnit.MILLISECONDS);
                    return answer;
                } catch (TimeoutException e) {
                    if (guard != null) {
                        guard.checkpoint();
                    }
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiCallException refused) {
                throw refused;
            }
            if (e.getCause() instanceof ItemRefused refused) {
                throw refused;
            }
            throw new IllegalStateException("A batched create failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiCallException(0, "INTERRUPTED", "The create was interrupted", false, e);
        } finally {
            // Stopped while waiting: the ask is withdrawn, or, answered that very moment, its upload freed.
            if (answer == null && !ask.answer().cancel(false) && !ask.answer().isCompletedExceptionally()) {
                // Not on this thread: the flow's guard, stopped, would refuse the call that frees it.
                Outcome late = ask.answer().getNow(null);
                callers.execute(() -> abandon(late));
            }
        }
    }

    private void drain() {
        while (true) {
            List<Ask> batch = new ArrayList<>(MAX_BATCH);
            synchronized (lock) {
                long lingerEnds = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
                for (long left; waiting.size() < MAX_BATCH && (left = lingerEnds - System.nanoTime()) > 0; ) {
                    try {
                        TimeUnit.NANOSECONDS.timedWait(lock, left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                // Two files for one name in a call would refuse the whole call (BATCH_INVALID): the
                // second waits for the next call, which then sees the first one's name taken.
                java.util.Set<String> names = new java.util.HashSet<>();
                List<Ask> later = new ArrayList<>();
                while (batch.size() < MAX_BATCH && !waiting.isEmpty()) {
                    Ask next = waiting.poll();
                    if (next.answer().isDone()) {
                        continue;
                    }
                    if (names.add(nameOf(next.request()))) {
                        batch.add(next);
                    } else {
                        later.add(next);
                    }
                }
                for (int i = later.size() - 1; i >= 0; i--) {
                    waiting.addFirst(later.get(i));
                }
                if (batch.isEmpty()) {
                    calls--;
                    return;
                }
            }
            try {
                send(batch);
            } catch (RuntimeException | Error e) {
                // Whatever went wrong, no flow is left waiting for an answer that never comes.
                ApiCallException failed = new ApiCallException(0, "INTERNAL", "Creating the upload failed unexpectedly ("
                        + e.getClass().getSimpleName() + ")", false, e); // not its text: it may quote an answer holding signed URLs
                batch.forEach(ask -> ask.answer().completeExceptionally(failed));
                if (e instanceof Error error) {
                    synchronized (lock) {
                        calls--;
                    }
                    throw error;
                }
            }
        }
    }

    // The name a create asks for, as the backend compares names (NFC).
    private static String nameOf(Wire.CreateUpload request) {
        return java.text.Normalizer.normalize((request.folder() == null ? "" : request.folder()) + "/" + request.fileName(),
                java.text.Normalizer.Form.NFC);
    }

    private void send(List<Ask> batch) {
        if (batchRouteMissing) {
            batch.forEach(this::answerAlone);
            return;
        }
        List<Wire.CreateResult> results;
        try {
            results = api.createBatch(batch.stream().map(Ask::request).toList());
        } catch (ApiCallException e) {
            if (e.status() == 404 || e.status() == 405) {
                batchRouteMissing = true;
            }
            if (e.status() == 404 || e.status() == 405 || (e.status() >= 400 && e.status() < 500 && e.status() != 401 && !e.isRetryable())) {
                batch.forEach(this::answerAlone);
            } else {
                batch.forEach(ask -> ask.answer().completeExceptionally(e));
            }
            return;
        } catch (RuntimeException e) {
            batch.forEach(ask -> ask.answer().completeExceptionally(e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            Ask ask = batch.get(i);
            if (results == null || i >= results.size() || results.get(i) == null) {
                ask.answer().completeExceptionally(new ApiCallException(502, "BATCH_SHORT",
                        "The Skylift API answered fewer items than it was asked; try again.", true, null));
                continue;
            }
            deliver(ask, outcome(results.get(i)));
        }
    }

    private void answerAlone(Ask ask) {
        if (ask.answer().isDone()) {
            return;
        }
        try {
            deliver(ask, alone(ask.request()));
        } catch (ApiCallException e) {
            ask.answer().completeExceptionally(e);
        }
    }

    private Outcome alone(Wire.CreateUpload request) {
        try {
            return new Created(api.createUpload(request));
        } catch (ApiCallException e) {
            if ("OBJECT_EXISTS".equals(e.code())) {
                return new Taken(null);
            }
            throw e;
        }
    }

    private static Object outcome(Wire.CreateResult result) {
        if (result.upload() != null && result.status() / 100 == 2) {
            return new Created(result.upload());
        }
        Wire.ErrorDetail error = result.error();
        String code = error == null || error.code() == null ? "HTTP_" + result.status() : error.code();
        if (code.equals("OBJECT_EXISTS")) {
            return new Taken(result.stored());
        }
        String message = error == null ? "The Skylift API answered " + result.status() + " for this file." : error.message() + " (" + code + ")";
        boolean retryable = (error != null && error.retryable()) || result.status() == 429 || result.status() >= 500;
        return new ApiCallException(result.status(), code, message, retryable, null);
    }

    private void deliver(Ask ask, Object outcome) {
        if (outcome instanceof Outcome answer) {
            if (!ask.answer().complete(answer)) {
                abandon(answer); // the flow stopped waiting before the answer came
            }
        } else {
            ask.answer().completeExceptionally(new ItemRefused((ApiCallException) outcome));
        }
    }

    // A multipart upload nobody will send parts to; a single PUT grant leaves nothing in storage.
    private void abandon(Outcome outcome) {
        if (outcome instanceof Created created && created.upload().single() == null) {
            try {
                api.oneAttempt().abort(created.upload().id());
            } catch (ApiCallException e) {
                // Storage's lifecycle rule removes unfinished uploads after a few days anyway.
            }
        }
    }

    @Override
    public void close() {
        callers.shutdownNow();
    }
}
