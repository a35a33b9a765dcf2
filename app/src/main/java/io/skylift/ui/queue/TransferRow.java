package io.skylift.ui.queue;

import io.skylift.engine.Direction;
import io.skylift.engine.Progress;
import io.skylift.engine.Transfer;
import io.skylift.engine.TransferState;
import io.skylift.ui.Format;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * One transfer as the queue shows it. Updated only on the JavaFX thread, from progress snapshots.
 */
public final class TransferRow {

    private final Transfer transfer;
    private final StringProperty name = new SimpleStringProperty();
    private final StringProperty size = new SimpleStringProperty();
    private final DoubleProperty fraction = new SimpleDoubleProperty();
    private final StringProperty speed = new SimpleStringProperty("");
    private final StringProperty eta = new SimpleStringProperty("");
    private final ObjectProperty<TransferState> state = new SimpleObjectProperty<>();
    private final StringProperty reason = new SimpleStringProperty();
    private long bytesDone;
    private long bytesTotal;
    private long bytesPerSecond;

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
        state.set(p.state());
        reason.set(p.reason());
    }

    public Transfer transfer() {
        return transfer;
    }

    public Direction direction() {
        return transfer.direction();
    }

    public ReadOnlyStringProperty nameProperty() {
        return name;
    }

    public ReadOnlyStringProperty sizeProperty() {
        return size;
    }

    public ReadOnlyDoubleProperty fractionProperty() {
        return fraction;
    }

    public ReadOnlyStringProperty speedProperty() {
        return speed;
    }

    public ReadOnlyStringProperty etaProperty() {
        return eta;
    }

    public ReadOnlyObjectProperty<TransferState> stateProperty() {
        return state;
    }

    /** True when the row's state, as last shown, lets a person take {@code action}. */
    public boolean allows(TransferState.Action action) {
        TransferState shown = state.get();
        return shown != null && shown.allows(action);
    }

    public ReadOnlyStringProperty reasonProperty() {
        return reason;
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
