package io.skylift.engine.internal;

import io.skylift.engine.internal.api.BackendClient;
import io.skylift.engine.internal.api.CreateBatcher;
import io.skylift.engine.internal.http.ExpectContinue;
import io.skylift.engine.internal.http.Throttle;
import io.skylift.engine.internal.journal.Journal;
import io.skylift.engine.internal.retry.RetryPolicy;
import io.skylift.engine.internal.schedule.ByteMeter;
import io.skylift.engine.internal.schedule.PartScheduler;
import java.time.Clock;
import okhttp3.OkHttpClient;

/**
 * What every transfer shares: the API, the HTTP client for file bytes, the worker pool, the journal,
 * the retry rules, the bandwidth limit and the part size new uploads ask for (both settable while
 * transfers run), what the path to storage does with {@code Expect: 100-continue}, the batching of
 * upload creates (null on the direct route, which has no API), and the meter of bytes moved that the
 * number of connections is governed by.
 */
public record EngineContext(BackendClient api, OkHttpClient http, PartScheduler scheduler, Journal journal,
                            RetryPolicy retry, Throttle throttle, java.util.concurrent.atomic.AtomicLong requestedPartSize,
                            Clock clock, ExpectContinue expectContinue, CreateBatcher creates, ByteMeter meter) {

    /** The part size to ask for, 0 for the server's plan. */
    public long partSize() {
        return requestedPartSize.get();
    }
}
