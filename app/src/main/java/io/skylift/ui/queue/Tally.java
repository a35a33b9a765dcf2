package io.skylift.ui.queue;

import io.skylift.engine.TransferState;
import io.skylift.engine.TransferState.Action;
import java.util.EnumSet;
import java.util.Set;

/**
 * Running totals over a set of rows: how many are in each state, bytes done of the total, and the
 * summed rate. A row is taken out with what it showed before a snapshot and put back with what it
 * shows after, so keeping the totals costs the same for one row of ten thousand as for one of one.
 * JavaFX thread only, like the rows.
 */
final class Tally {

    private final int[] byState = new int[TransferState.values().length];
    private int rows;
    private int stopped;
    private int troubled;
    private long bytesDone;
    private long bytesTotal;
    private long bytesPerSecond;

    void add(TransferRow row) {
        count(row, 1);
    }

    void remove(TransferRow row) {
        count(row, -1);
    }

    private void count(TransferRow row, int sign) {
        rows += sign;
        TransferState state = row.stateProperty().get();
        if (state != null) {
            byState[state.ordinal()] += sign;
        }
        if (state == TransferState.PAUSED && row.hasProblem()) {
            stopped += sign;
        }
        if (row.troubledProperty().get()) {
            troubled += sign;
        }
        bytesDone += sign * row.bytesDone();
        bytesTotal += sign * row.bytesTotal();
        bytesPerSecond += sign * row.bytesPerSecond();
    }

    int rows() {
        return rows;
    }

    int in(TransferState state) {
        return byState[state.ordinal()];
    }

    /** Queued, running or verifying: what is still on its way. */
    int active() {
        return in(TransferState.QUEUED) + in(TransferState.RUNNING) + in(TransferState.VERIFYING);
    }

    /** Paused with a reason: stopped by a problem rather than by the person. */
    int stopped() {
        return stopped;
    }

    /** Rows with a problem a person can read about (failed, or paused by a problem). */
    int troubled() {
        return troubled;
    }

    long bytesDone() {
        return bytesDone;
    }

    long bytesTotal() {
        return bytesTotal;
    }

    long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** The actions at least one row's state allows, from the state table itself. */
    Set<Action> actions() {
        Set<Action> allowed = EnumSet.noneOf(Action.class);
        for (TransferState state : TransferState.values()) {
            if (byState[state.ordinal()] > 0) {
                allowed.addAll(state.actions());
            }
        }
        return allowed;
    }
}
