package io.skylift.ui.queue;

import io.skylift.engine.Progress;
import io.skylift.engine.Transfer;
import io.skylift.engine.TransferState;
import io.skylift.engine.TransferState.Action;
import io.skylift.ui.Format;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The transfer queue: one row per transfer, the overall progress and speed, and what to do with
 * them. JavaFX thread only; engine calls that may block are only pause/resume/cancel, which return at once.
 */
public final class QueueViewModel {

    /**
     * The queue once nothing runs any more: transfers done, failed, paused by a problem (they carry
     * its reason), and paused by the person.
     */
    public record BatchDone(int done, int failed, int stopped, int paused) {

        /** True when something needs the person: a failure, or a pause they did not ask for. */
        public boolean needsAttention() {
            return failed > 0 || stopped > 0;
        }

        /** One line for the window's notice, in the words the queue uses. */
        public String message() {
            if (failed == 0 && stopped == 0 && paused == 0) {
                return "All transfers are done.";
            }
            List<String> counts = new ArrayList<>();
            counts.add(done + " done");
            if (failed > 0) {
                counts.add(failed + " failed");
            }
            if (stopped > 0) {
                counts.add(stopped + " stopped by a problem");
            }
            if (paused > 0) {
                counts.add(paused + " paused");
            }
            return String.join(" · ", counts) + (needsAttention() ? ": see the queue." : ".");
        }
    }

    private final ObservableList<TransferRow> rows = FXCollections.observableArrayList();
    private final Map<String, TransferRow> byId = new HashMap<>();
    private final DoubleProperty overall = new SimpleDoubleProperty();
    private final StringProperty summary = new SimpleStringProperty("Drop files or folders here to upload them.");
    private final IntegerProperty paused = new SimpleIntegerProperty();
    private final IntegerProperty active = new SimpleIntegerProperty();
    private Consumer<BatchDone> onBatchDone = b -> {};
    private boolean batchRunning;

    public ObservableList<TransferRow> rows() {
        return rows;
    }

    public ReadOnlyDoubleProperty overallProperty() {
        return overall;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary;
    }

    /** Transfers waiting for "Resume all". */
    public ReadOnlyIntegerProperty pausedProperty() {
        return paused;
    }

    /** Transfers queued, running or verifying. */
    public ReadOnlyIntegerProperty activeProperty() {
        return active;
    }

    public void onBatchDone(Consumer<BatchDone> listener) {
        this.onBatchDone = listener;
    }

    public void add(List<Transfer> transfers) {
        List<TransferRow> added = new ArrayList<>();
        for (Transfer transfer : transfers) {
            if (!byId.containsKey(transfer.id())) {
                TransferRow row = new TransferRow(transfer);
                byId.put(transfer.id(), row);
                added.add(row);
            }
        }
        // One change for the whole drop: the table lays itself out once, not once per file.
        rows.addAll(added);
        recount();
    }

    /** Applies a batch of snapshots (from the progress bridge). */
    public void apply(List<Progress> batch) {
        for (Progress p : batch) {
            TransferRow row = byId.get(p.transferId());
            if (row != null) {
                row.apply(p);
            }
        }
        recount();
    }

    public void pause(TransferRow row) {
        act(row, Action.PAUSE);
    }

    /** Resumes a paused row, or tries a failed one again. */
    public void resume(TransferRow row) {
        if (!act(row, Action.RESUME)) {
            act(row, Action.RETRY);
        }
    }

    public void cancel(TransferRow row) {
        act(row, Action.CANCEL);
    }

    /** Space on a row: resumes (or retries) it where its state allows, else pauses it where that is allowed. */
    public void toggle(TransferRow row) {
        if (!act(row, Action.RESUME) && !act(row, Action.RETRY)) {
            act(row, Action.PAUSE);
        }
    }

    public void resumeAll() {
        rows.forEach(this::resume);
    }

    public void pauseAll() {
        rows.forEach(this::pause);
    }

    /**
     * Does {@code action} to the row's transfer when the state table allows it in the state the row
     * shows; returns whether it did. The one place the queue decides what a state lets a person do.
     */
    private static boolean act(TransferRow row, Action action) {
        if (!row.allows(action)) {
            return false;
        }
        switch (action) {
            case PAUSE -> row.transfer().pause();
            case RESUME, RETRY -> row.transfer().resume();
            case CANCEL -> row.transfer().cancel();
        }
        return true;
    }

    /** Removes finished and cancelled rows. */
    public void clearFinished() {
        rows.removeIf(row -> {
            TransferState s = row.stateProperty().get();
            boolean gone = s == TransferState.DONE || s == TransferState.CANCELLED;
            if (gone) {
                byId.remove(row.transfer().id());
            }
            return gone;
        });
        recount();
    }

    private static boolean isActive(TransferState s) {
        return s == TransferState.QUEUED || s == TransferState.RUNNING || s == TransferState.VERIFYING;
    }

    private void recount() {
        long done = 0;
        long total = 0;
        long rate = 0;
        int running = 0;
        int queued = 0;
        int waiting = 0;
        int finished = 0;
        int failed = 0;
        int stopped = 0;
        for (TransferRow row : rows) {
            TransferState s = row.stateProperty().get();
            done += row.bytesDone();
            total += row.bytesTotal();
            rate += row.bytesPerSecond();
            if (isActive(s)) {
                running++;
                if (s == TransferState.QUEUED) {
                    queued++;
                }
            } else if (s == TransferState.PAUSED) {
                waiting++;
                if (row.reasonProperty().get() != null && !row.reasonProperty().get().isBlank()) {
                    stopped++;
                }
            } else if (s == TransferState.DONE) {
                finished++;
            } else if (s == TransferState.FAILED) {
                failed++;
            }
        }
        active.set(running);
        paused.set(waiting);
        overall.set(total == 0 ? 0 : (double) done / total);
        if (rows.isEmpty()) {
            summary.set("Drop files or folders here to upload them.");
        } else if (running > 0) {
            summary.set(String.format("%d sending%s%s · %s of %s · %s", running - queued, queued > 0 ? " · " + queued + " waiting" : "",
                    finished > 0 ? " · " + finished + " done" : "", Format.bytes(done), Format.bytes(total), Format.rate(rate)));
        } else {
            summary.set(String.format("%d done%s%s", finished, waiting > 0 ? " · " + waiting + " paused" : "",
                    failed > 0 ? " · " + failed + " failed" : ""));
        }
        if (running > 0) {
            batchRunning = true;
        } else if (batchRunning) {
            batchRunning = false;
            onBatchDone.accept(new BatchDone(finished, failed, stopped, waiting - stopped));
        }
    }
}
