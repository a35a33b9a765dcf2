package io.skylift.engine;

/**
 * Observes transfers. Every method has a no-op default.
 *
 * <p>Order per transfer: {@link #onProgress} any number of times, interleaved with
 * {@link #onStateChanged} for each change; exactly one terminal state change (DONE, FAILED or
 * CANCELLED) ends it, unless it is left paused. Calls come from engine threads: return quickly,
 * never block, and hop to your own thread (e.g. the JavaFX thread) to touch UI state.
 */
public interface TransferListener {

    default void onProgress(Progress progress) {}

    default void onStateChanged(Progress progress) {}
}
