package io.skylift.engine.internal;

import io.skylift.engine.internal.api.BackendClient;
import io.skylift.engine.internal.journal.Journal;
import io.skylift.engine.internal.retry.RetryPolicy;
import io.skylift.engine.internal.schedule.PartScheduler;
import java.time.Clock;
import okhttp3.OkHttpClient;

/**
 * What every transfer shares: the API, the HTTP client for file bytes, the worker pool, the journal
 * and the retry rules.
 *
 * @param partSize the part size to ask for, 0 for the server's plan
 */
public record EngineContext(BackendClient api, OkHttpClient http, PartScheduler scheduler, Journal journal,
                            RetryPolicy retry, long partSize, Clock clock) {}
