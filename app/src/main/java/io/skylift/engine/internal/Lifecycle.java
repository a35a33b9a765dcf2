package io.skylift.engine.internal;

import io.skylift.engine.TransferState;

/**
 * One transfer's state, moved only along {@link TransferState}'s table. Each move is handed to the
 * {@link Announcer} in the order the moves happened, so whoever publishes them can deliver them in
 * that order; a move the table does not have is refused and announced to no one.
 *
 * <p>Thread-safe. The private lock is held only to check and record a move and to hand it over
 * (an in-memory enqueue, never I/O or a listener call).
 */
public final class Lifecycle {

    /** Takes each move in order; must not block. */
    @FunctionalInterface
    public interface Announcer {
        /** @param afterDelivery to run once listeners have seen the move, or null */
        void announce(TransferState state, String reason, Runnable afterDelivery);
    }

    private final Object lock = new Object();
    private TransferState state;
    private String reason;
    private Announcer announcer = (state, reason, after) -> {
        if (after != null) {
            after.run();
        }
    };

    /** A transfer that has not been started: its first move is to QUEUED. */
    public Lifecycle() {
        this.state = null;
    }

    /** Where moves go from now on. */
    public void announceTo(Announcer announcer) {
        synchronized (lock) {
            this.announcer = announcer;
        }
    }

    /** Sets the state a transfer read back from the journal starts in, without announcing it. */
    public void startAs(TransferState initial, String why) {
        synchronized (lock) {
            if (state != null) {
                throw new IllegalStateException("The transfer has already started as " + state);
            }
            state = initial;
            reason = why;
        }
    }

    /** Moves to {@code next} if the table allows it; returns false (and changes nothing) if not. */
    public boolean moveTo(TransferState next, String why) {
        return moveTo(next, why, null);
    }

    /**
     * Moves to {@code next} if the table allows it (a transfer not yet started may only be queued),
     * and announces it with {@code afterDelivery}; returns false, changing and announcing nothing, if not.
     */
    public boolean moveTo(TransferState next, String why, Runnable afterDelivery) {
        synchronized (lock) {
            boolean allowed = state == null ? next == TransferState.QUEUED : state.canMoveTo(next);
            if (!allowed) {
                return false;
            }
            state = next;
            reason = why;
            announcer.announce(next, why, afterDelivery);
            return true;
        }
    }

    /** The state now; null before the transfer was first queued. */
    public TransferState state() {
        synchronized (lock) {
            return state;
        }
    }

    public String reason() {
        synchronized (lock) {
            return reason;
        }
    }
}
