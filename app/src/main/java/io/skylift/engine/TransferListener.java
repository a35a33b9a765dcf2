package io.skylift.engine;

/**
 * Observes transfers. Every method has a no-op default.
 *
 * <p>Every call comes from one engine thread, in order, and each event carries a larger
 * {@link Progress#sequence()} than the one before. Per transfer: {@link #onStateChanged} once for
 * each move of its state (QUEUED, RUNNING, VERIFYING, and then exactly one of PAUSED, DONE, FAILED
 * or CANCELLED for each run), with {@link #onProgress} between them while bytes move. A progress
 * event always carries the state last announced, and after the event that stops a run nothing more
 * comes for it until it is resumed. {@link Transfer#stopped()} completes only after that last event
 * was delivered, so a view that saw it can trust it.
 *
 * <p>Return quickly and never block: every transfer's events wait for you. Hop to your own thread
 * (e.g. the JavaFX thread) to touch UI state.
 */
public interface TransferListener {

    default void onProgress(Progress progress) {}

    default void onStateChanged(Progress progress) {}
}
