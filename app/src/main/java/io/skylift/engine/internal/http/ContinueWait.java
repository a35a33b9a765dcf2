package io.skylift.engine.internal.http;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.AsyncTimeout;
import okio.BufferedSink;

/**
 * One probing PUT's wait for {@code 100 Continue}, given up after {@link ExpectContinue#PROBE_WAIT}.
 * Only that wait is bounded: a read timeout as short would also cut off storage's final answer, which
 * on a long link comes seconds after a large body's last byte leaves; and the clock starts once a
 * connection is open ({@link #START}), so a long link's connect and TLS round trips are not taken for
 * a path that swallows the answer.
 *
 * <p>The body and the watch race for one state: either the body begins and is never cut off by the
 * watch, or the watch gives up and the body never begins. Runs on Okio's one watchdog thread, as
 * OkHttp's own call timeouts do. One per call.
 *
 * <pre>{@code
 * var wait = new ContinueWait();
 * Call call = http.newCall(request.put(wait.gate(body)).tag(ContinueWait.class, wait).build());
 * wait.watch(call);
 * try (Response response = call.execute()) { wait.end(); ... }
 * catch (IOException e) { if (wait.gaveUp()) ... }
 * finally { wait.end(); }
 * }</pre>
 */
public final class ContinueWait extends AsyncTimeout {

    /**
     * On the engine's client, among the network interceptors: a request tagged with a wait starts its
     * clock here, with the connection open and just before the headers go.
     */
    public static final Interceptor START = chain -> {
        ContinueWait wait = chain.request().tag(ContinueWait.class);
        if (wait != null) {
            wait.start();
        }
        return chain.proceed(chain.request());
    };

    private static final int WAITING = 0;
    private static final int SENDING = 1;
    private static final int GAVE_UP = 2;
    private static final int ENDED = 3;

    private final AtomicInteger state = new AtomicInteger(WAITING);
    private volatile Call call;
    // Entered and exited on the calling thread only (network interceptors run on it).
    private boolean entered;

    public ContinueWait() {
        timeout(ExpectContinue.PROBE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The call to cancel if the wait runs out. */
    public void watch(Call call) {
        this.call = call;
    }

    /** {@code body}, sent only if the wait has not been given up; then the wait can no longer cut it off. */
    public RequestBody gate(RequestBody body) {
        return new RequestBody() {
            @Override
            public MediaType contentType() {
                return body.contentType();
            }

            @Override
            public long contentLength() throws IOException {
                return body.contentLength();
            }

            @Override
            public boolean isOneShot() {
                return body.isOneShot();
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                if (!state.compareAndSet(WAITING, SENDING)) {
                    throw new IOException("No 100 Continue came within " + ExpectContinue.PROBE_WAIT.toMillis() + " ms");
                }
                body.writeTo(sink);
            }
        };
    }

    /** Storage answered, or the call failed: the wait is over either way. Idempotent. */
    public void end() {
        state.compareAndSet(WAITING, ENDED);
        if (entered) {
            entered = false;
            exit();
        }
    }

    /** Whether the wait ran out before the body began (and the call was cancelled for it). */
    public boolean gaveUp() {
        return state.get() == GAVE_UP;
    }

    private void start() {
        if (!entered) {
            entered = true;
            enter();
        }
    }

    @Override
    protected void timedOut() {
        if (state.compareAndSet(WAITING, GAVE_UP)) {
            Call watched = call;
            if (watched != null) {
                watched.cancel();
            }
        }
    }
}
