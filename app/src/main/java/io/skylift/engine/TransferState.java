package io.skylift.engine;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a transfer is in its life, and the one table of how it may move on. {@link #DONE},
 * {@link #FAILED} and {@link #CANCELLED} end a run; a {@link #PAUSED} transfer keeps everything it
 * sent and can be resumed, also after a restart, and a {@link #FAILED} one can be tried again.
 *
 * <pre>
 *            ┌──────────────── resume / retry ────────────────┐
 *            ▼                                                │
 *   new ─▶ QUEUED ─▶ RUNNING ─▶ VERIFYING ─▶ DONE             │
 *            │          │           │                         │
 *            └──────────┴───────────┴──▶ PAUSED ──────────────┤
 *                       (any of them) ─▶ FAILED ──────────────┘
 *                       (any of them) ─▶ CANCELLED
 * </pre>
 *
 * <p>The engine refuses any move the table does not have, and a view asks {@link #allows} which of
 * a person's {@link Action actions} to offer, so the two can never disagree.
 */
public enum TransferState {
    QUEUED,
    RUNNING,
    PAUSED,
    VERIFYING,
    DONE,
    FAILED,
    CANCELLED;

    /** What a person can ask of a transfer. */
    public enum Action {
        /** Stop sending, keep what was sent. */
        PAUSE,
        /** Continue a paused transfer. */
        RESUME,
        /** Try a failed transfer again. */
        RETRY,
        /** Stop and throw away what was sent. */
        CANCEL
    }

    public boolean isTerminal() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }

    /** True when the table allows moving from this state to {@code next}. */
    public boolean canMoveTo(TransferState next) {
        return successors().contains(next);
    }

    private Set<TransferState> successors() {
        return switch (this) {
            // A queued transfer may also end without running: paused or cancelled while it waited,
            // or failed when its cleanup could not be done.
            case QUEUED -> EnumSet.of(RUNNING, PAUSED, CANCELLED, FAILED);
            case RUNNING -> EnumSet.of(VERIFYING, PAUSED, DONE, FAILED, CANCELLED);
            // Verifying is the last call to storage: it can still be paused (the network went) or fail.
            case VERIFYING -> EnumSet.of(DONE, PAUSED, FAILED, CANCELLED);
            // Resuming queues it again; a paused transfer can also be thrown away.
            case PAUSED -> EnumSet.of(QUEUED, CANCELLED);
            // A failure that a retry may mend starts a new run.
            case FAILED -> EnumSet.of(QUEUED);
            case DONE, CANCELLED -> EnumSet.noneOf(TransferState.class);
        };
    }

    /** The actions a person may take on a transfer in this state. */
    public Set<Action> actions() {
        return switch (this) {
            case QUEUED, RUNNING -> EnumSet.of(Action.PAUSE, Action.CANCEL);
            case PAUSED -> EnumSet.of(Action.RESUME, Action.CANCEL);
            case FAILED -> EnumSet.of(Action.RETRY);
            // Verifying takes a moment and ends on its own; done and cancelled are over.
            case VERIFYING, DONE, CANCELLED -> EnumSet.noneOf(Action.class);
        };
    }

    public boolean allows(Action action) {
        return actions().contains(action);
    }
}
