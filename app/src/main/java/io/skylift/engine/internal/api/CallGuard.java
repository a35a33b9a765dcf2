package io.skylift.engine.internal.api;

import okhttp3.Call;

/**
 * What a transfer's flow tells the API calls it makes: where a call in flight is registered, so a
 * pause or cancel can cut it off at once, and when to stop instead of trying again. Bound to the
 * flow's thread through {@link BackendClient#FLOW}; calls made elsewhere (part jobs, listing) have
 * none and behave as before.
 */
public interface CallGuard {

    void opened(Call call);

    void closed(Call call);

    /** Throws the transfer's own way of unwinding when it was asked to stop; returns otherwise. */
    void checkpoint();
}
