package io.skylift.ui.queue;

import io.skylift.engine.TransferState;
import io.skylift.engine.TransferState.Action;
import io.skylift.ui.Format;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * A dropped folder as the queue shows it: one line with its file count, the bytes done of its
 * total, speed, time left and a summary of its files' states, which opens to the files. The totals
 * are kept by adding each file's change ({@link Tally}), never by adding up its files again, so a
 * folder of 10,000 files costs per update only the files that moved. JavaFX thread only.
 *
 * <pre>{@code
 * FolderRow shoot = queue.addFolder("2026-11-22 wedding", transfers);
 * shoot.statusProperty().get();   // "Sending · 1,234 of 5,000 done · 2 failed"
 * queue.pause(shoot);             // pauses each of its files that may be paused
 * }</pre>
 */
public final class FolderRow extends QueueEntry {

    private final ObservableList<TransferRow> files = FXCollections.observableArrayList();
    private final ObservableList<TransferRow> shownFiles = FXCollections.unmodifiableObservableList(files);
    private final Tally tally = new Tally();
    private final StringProperty count = new SimpleStringProperty();

    FolderRow(String name) {
        this.name.set(name);
    }

    /** The folder's files, in the order they were planned. */
    public ObservableList<TransferRow> files() {
        return shownFiles;
    }

    /** "5,000 files". */
    public ReadOnlyStringProperty countProperty() {
        return count;
    }

    void adopt(List<TransferRow> rows) {
        for (TransferRow row : rows) {
            row.folder(this);
            tally.add(row);
        }
        files.addAll(rows);
        refresh();
    }

    void release(Set<TransferRow> rows) {
        List<TransferRow> leaving = new ArrayList<>();
        for (TransferRow row : files) {
            if (rows.contains(row)) {
                leaving.add(row);
            }
        }
        for (TransferRow row : leaving) {
            tally.remove(row);
            if (row.folder() == this) {
                row.folder(null);
            }
        }
        files.removeAll(rows);
        refresh();
    }

    /** Takes a file's totals out before it shows a new snapshot; {@link #shown} puts them back. */
    void changing(TransferRow row) {
        tally.remove(row);
    }

    void shown(TransferRow row) {
        tally.add(row);
    }

    boolean isEmpty() {
        return files.isEmpty();
    }

    /** Shows the totals; once per batch of snapshots, whatever number of files changed. */
    void refresh() {
        int n = tally.rows();
        int done = tally.in(TransferState.DONE);
        long total = tally.bytesTotal();
        long rate = tally.bytesPerSecond();
        count.set(number(n) + (n == 1 ? " file" : " files"));
        size.set(Format.bytes(total));
        fraction.set(total > 0 ? (double) tally.bytesDone() / total : n == 0 ? 0 : (double) done / n);
        boolean active = tally.active() > 0;
        speed.set(active && rate > 0 ? Format.rate(rate) : "");
        long left = total - tally.bytesDone();
        eta.set(active && rate > 0 ? Format.duration(Duration.ofSeconds((left + rate - 1) / rate)) : "");
        status.set(summary());
        reason.set(tally.troubled() == 0 ? null : number(tally.troubled()) + (tally.troubled() == 1 ? " file" : " files")
                + " stopped by a problem; What happened tells about the first.");
        Set<Action> now = tally.actions();
        if (!now.equals(actions.get())) {
            actions.set(now);
        }
        troubled.set(tally.troubled() > 0);
    }

    // "Sending · 1,234 of 5,000 done · 2 failed": what the files do, in the words their own rows use.
    private String summary() {
        int n = tally.rows();
        int done = tally.in(TransferState.DONE);
        int failed = tally.in(TransferState.FAILED);
        int paused = tally.in(TransferState.PAUSED);
        int cancelled = tally.in(TransferState.CANCELLED);
        TransferState lead;
        if (tally.in(TransferState.RUNNING) + tally.in(TransferState.VERIFYING) > 0) {
            lead = TransferState.RUNNING;
        } else if (tally.in(TransferState.QUEUED) > 0) {
            lead = TransferState.QUEUED;
        } else if (paused > 0) {
            lead = TransferState.PAUSED;
        } else if (failed > 0) {
            lead = TransferState.FAILED;
        } else if (done > 0 || n == 0) {
            lead = TransferState.DONE;
        } else {
            lead = TransferState.CANCELLED;
        }
        if (done == n) {
            return QueueView.describe(TransferState.DONE);
        }
        StringBuilder line = new StringBuilder(QueueView.describe(lead)).append(" · ")
                .append(number(done)).append(" of ").append(number(n)).append(" done");
        if (failed > 0) {
            line.append(" · ").append(number(failed)).append(" failed");
        }
        if (paused > 0 && lead != TransferState.PAUSED) {
            line.append(" · ").append(number(paused)).append(" paused");
        }
        if (cancelled > 0) {
            line.append(" · ").append(number(cancelled)).append(" cancelled");
        }
        return line.toString();
    }

    private static String number(int n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
