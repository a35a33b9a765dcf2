package io.skylift.ui.queue;

import io.skylift.engine.Progress;
import io.skylift.engine.Transfer;
import io.skylift.engine.TransferState;
import io.skylift.engine.TransferState.Action;
import io.skylift.ui.Format;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javafx.application.Platform;
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
 * The transfer queue: a line per transfer dropped on its own and one per dropped folder (which
 * holds a row per file), the overall progress and speed, and what to do with them. Every update
 * costs the rows it changes, not the rows the queue holds: totals are kept as running sums
 * ({@link Tally}). JavaFX thread only; engine calls that may block are only pause/resume/cancel,
 * which return at once.
 *
 * <pre>{@code
 * QueueViewModel queue = new QueueViewModel();
 * queue.addFolder("shoot", engine.upload(Path.of("shoot"), ""));
 * engine.addListener(new FxProgressBridge(queue::apply));
 * }</pre>
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

    /** Rows made in one task on the FX thread: about 25 ms of work for a busy machine. */
    static final int ROWS_PER_TASK = 500;

    private final ObservableList<TransferRow> rows = FXCollections.observableArrayList();
    private final ObservableList<QueueEntry> entries = FXCollections.observableArrayList();
    private final Map<String, TransferRow> byId = new HashMap<>();
    private final Tally tally = new Tally();
    private final DoubleProperty overall = new SimpleDoubleProperty();
    private final StringProperty summary = new SimpleStringProperty("Drop files or folders here to upload them.");
    private final IntegerProperty paused = new SimpleIntegerProperty();
    private final IntegerProperty active = new SimpleIntegerProperty();
    private Consumer<BatchDone> onBatchDone = b -> {};
    private boolean batchRunning;

    /** Every transfer in the queue, those of dropped folders included, in the order they came. */
    public ObservableList<TransferRow> rows() {
        return rows;
    }

    /** The queue's lines: a transfer on its own, or a dropped folder holding its files. */
    public ObservableList<QueueEntry> entries() {
        return entries;
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

    /**
     * Adds transfers as lines of their own; one the queue already shows stays where it is. Rows are
     * made {@value #ROWS_PER_TASK} at a time, the rest in later tasks on the FX thread.
     */
    public void add(List<Transfer> transfers) {
        inSlices(transfers, slice -> {
            List<TransferRow> added = newRows(slice);
            // One change per slice: the table lays itself out once, not once per file.
            rows.addAll(added);
            entries.addAll(added);
            refresh();
        });
    }

    /**
     * Adds a dropped folder as one line holding its transfers, shown at once and filled
     * {@value #ROWS_PER_TASK} rows at a time. A transfer the queue already shows (restored from an
     * earlier run, or in a folder dropped before) moves into this folder, so each transfer has one
     * line. Returns the folder's line, or null when it has no transfers.
     */
    public FolderRow addFolder(String name, List<Transfer> transfers) {
        if (transfers.isEmpty()) {
            return null;
        }
        FolderRow folder = new FolderRow(name);
        entries.add(folder);
        inSlices(transfers, slice -> fill(folder, slice));
        return folder;
    }

    private void fill(FolderRow folder, List<Transfer> transfers) {
        Set<TransferRow> members = new LinkedHashSet<>();
        Set<TransferRow> moving = new HashSet<>();
        List<TransferRow> added = new ArrayList<>();
        for (Transfer transfer : transfers) {
            TransferRow known = byId.get(transfer.id());
            if (known == null) {
                TransferRow row = newRow(transfer);
                added.add(row);
                members.add(row);
            } else if (known.folder() != folder) {
                moving.add(known);
                members.add(known);
            }
        }
        leave(moving, folder);
        folder.adopt(List.copyOf(members));
        rows.addAll(added);
        refresh();
    }

    // Each slice is one task on the FX thread, so that a drop of 10,000 files never holds it for
    // long; the next slice waits behind whatever else the thread has to do.
    private void inSlices(List<Transfer> transfers, Consumer<List<Transfer>> step) {
        int end = Math.min(ROWS_PER_TASK, transfers.size());
        step.accept(transfers.subList(0, end));
        if (end < transfers.size()) {
            Platform.runLater(() -> inSlices(transfers.subList(end, transfers.size()), step));
        }
    }

    private List<TransferRow> newRows(List<Transfer> transfers) {
        List<TransferRow> added = new ArrayList<>();
        for (Transfer transfer : transfers) {
            if (!byId.containsKey(transfer.id())) {
                added.add(newRow(transfer));
            }
        }
        return added;
    }

    private TransferRow newRow(Transfer transfer) {
        TransferRow row = new TransferRow(transfer);
        byId.put(transfer.id(), row);
        tally.add(row);
        return row;
    }

    // Takes rows out of the line or folder that shows them; a folder left empty goes, but for the
    // one they move into (it may still be empty before its first rows).
    private void leave(Set<TransferRow> moving, FolderRow into) {
        if (moving.isEmpty()) {
            return;
        }
        Set<FolderRow> folders = new HashSet<>();
        for (TransferRow row : moving) {
            if (row.folder() != null) {
                folders.add(row.folder());
            }
        }
        for (FolderRow folder : folders) {
            folder.release(moving);
        }
        entries.removeIf(e -> e instanceof TransferRow row ? moving.contains(row) : e != into && e instanceof FolderRow f && f.isEmpty());
    }

    /**
     * Applies a batch of snapshots (from the progress bridge). The work is in the number of
     * snapshots: each row's old totals come out and its new ones go in, and each folder touched
     * shows its totals once.
     */
    public void apply(List<Progress> batch) {
        Set<FolderRow> touched = new HashSet<>();
        for (Progress p : batch) {
            TransferRow row = byId.get(p.transferId());
            if (row == null) {
                continue;
            }
            FolderRow folder = row.folder();
            tally.remove(row);
            if (folder != null) {
                folder.changing(row);
            }
            row.apply(p);
            tally.add(row);
            if (folder != null) {
                folder.shown(row);
                touched.add(folder);
            }
        }
        touched.forEach(FolderRow::refresh);
        refresh();
    }

    public void pause(QueueEntry entry) {
        each(entry, row -> act(row, Action.PAUSE));
    }

    /** Resumes a paused row, or tries a failed one again; for a folder, resumes its paused files. */
    public void resume(QueueEntry entry) {
        if (entry instanceof TransferRow row) {
            if (!act(row, Action.RESUME)) {
                act(row, Action.RETRY);
            }
        } else {
            each(entry, row -> act(row, Action.RESUME));
        }
    }

    /** Tries failed transfers again: the row, or a folder's failed files. */
    public void retry(QueueEntry entry) {
        each(entry, row -> act(row, Action.RETRY));
    }

    public void cancel(QueueEntry entry) {
        each(entry, row -> act(row, Action.CANCEL));
    }

    /**
     * Space on a line: resumes (or retries) what its state allows, else pauses what may be paused.
     * For a folder, the folder's files as a whole decide.
     */
    public void toggle(QueueEntry entry) {
        if (entry.allows(Action.RESUME) || entry.allows(Action.RETRY)) {
            each(entry, row -> {
                if (!act(row, Action.RESUME)) {
                    act(row, Action.RETRY);
                }
            });
        } else {
            pause(entry);
        }
    }

    /** The first transfer of the line that a problem stopped, to explain it. */
    public Optional<TransferRow> firstProblem(QueueEntry entry) {
        return switch (entry) {
            case TransferRow row -> row.troubledProperty().get() ? Optional.of(row) : Optional.empty();
            case FolderRow folder -> folder.files().stream().filter(r -> r.troubledProperty().get()).findFirst();
        };
    }

    public void resumeAll() {
        rows.forEach(this::resume);
    }

    public void pauseAll() {
        rows.forEach(this::pause);
    }

    // A folder's files are copied first: acting on one may, through the engine's events, change the list.
    private static void each(QueueEntry entry, Consumer<TransferRow> action) {
        switch (entry) {
            case TransferRow row -> action.accept(row);
            case FolderRow folder -> List.copyOf(folder.files()).forEach(action);
        }
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

    /** Removes finished and cancelled transfers, and folders with nothing left. */
    public void clearFinished() {
        Set<TransferRow> gone = new HashSet<>();
        for (TransferRow row : rows) {
            TransferState s = row.stateProperty().get();
            if (s == TransferState.DONE || s == TransferState.CANCELLED) {
                gone.add(row);
            }
        }
        leave(gone, null);
        rows.removeAll(gone);
        for (TransferRow row : gone) {
            byId.remove(row.transfer().id());
            tally.remove(row);
        }
        refresh();
    }

    // From the running totals: the same work for a queue of ten rows as for ten thousand.
    private void refresh() {
        int running = tally.active();
        int queued = tally.in(TransferState.QUEUED);
        int waiting = tally.in(TransferState.PAUSED);
        int finished = tally.in(TransferState.DONE);
        int failed = tally.in(TransferState.FAILED);
        long done = tally.bytesDone();
        long total = tally.bytesTotal();
        active.set(running);
        paused.set(waiting);
        overall.set(total == 0 ? 0 : (double) done / total);
        if (rows.isEmpty()) {
            summary.set("Drop files or folders here to upload them.");
        } else if (running > 0) {
            summary.set(String.format("%d sending%s%s · %s of %s · %s", running - queued, queued > 0 ? " · " + queued + " waiting" : "",
                    finished > 0 ? " · " + finished + " done" : "", Format.bytes(done), Format.bytes(total),
                    Format.rate(tally.bytesPerSecond())));
        } else {
            summary.set(String.format("%d done%s%s", finished, waiting > 0 ? " · " + waiting + " paused" : "",
                    failed > 0 ? " · " + failed + " failed" : ""));
        }
        if (running > 0) {
            batchRunning = true;
        } else if (batchRunning) {
            batchRunning = false;
            onBatchDone.accept(new BatchDone(finished, failed, tally.stopped(), waiting - tally.stopped()));
        }
    }
}
