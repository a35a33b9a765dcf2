package io.skylift.ui.queue;

import io.skylift.engine.Direction;
import io.skylift.engine.Progress;
import io.skylift.engine.Transfer;
import io.skylift.engine.TransferState;
import io.skylift.ui.Format;
import java.util.Set;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * One transfer as the queue shows it, on its own or as a file of a dropped folder. Updated only on
 * the JavaFX thread, from progress snapshots.
 */
public final class TransferRow extends QueueEntry {

    private final Transfer transfer;
    private final ObjectProperty<TransferState> state = new SimpleObjectProperty<>();
    private long bytesDone;
    private long bytesTotal;
    private long bytesPerSecond;
    private FolderRow folder; // the dropped folder it belongs to; null for a file dropped on its own

    TransferRow(Transfer transfer) {
        this.transfer = transfer;
        apply(transfer.progress());
    }

    void apply(Progress p) {
        name.set(p.name());
        bytesDone = p.bytesDone();
        bytesTotal = p.bytesTotal();
        bytesPerSecond = p.state() == TransferState.RUNNING ? p.bytesPerSecond() : 0;
        size.set(Format.bytes(p.bytesTotal()));
        fraction.set(p.state() == TransferState.DONE ? 1 : p.fraction());
        speed.set(bytesPerSecond > 0 ? Format.rate(bytesPerSecond) : "");
        eta.set(p.eta() != null ? Format.duration(p.eta()) : "");
        if (p.state() != state.get()) {
            state.set(p.state());
            status.set(QueueView.describe(p.state()));
            actions.set(p.state() == null ? Set.of() : p.state().actions());
        }
        reason.set(p.reason());
        troubled.set(hasProblem() && (p.state() == TransferState.FAILED || p.state() == TransferState.PAUSED));
    }

    public Transfer transfer() {
        return transfer;
    }

    public Direction direction() {
        return transfer.direction();
    }

    public ReadOnlyObjectProperty<TransferState> stateProperty() {
        return state;
    }

    boolean hasProblem() {
        String why = reason.get();
        return why != null && !why.isBlank();
    }

    FolderRow folder() {
        return folder;
    }

    void folder(FolderRow folder) {
        this.folder = folder;
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
}
