package io.skylift.ui.queue;

import io.skylift.engine.TransferState.Action;
import java.util.Set;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * A line of the queue: one transfer ({@link TransferRow}), or a dropped folder with its files
 * ({@link FolderRow}). The columns show the same things for both; each kind fills them in from
 * its own snapshots. JavaFX thread only.
 */
public abstract sealed class QueueEntry permits TransferRow, FolderRow {

    final StringProperty name = new SimpleStringProperty();
    final StringProperty size = new SimpleStringProperty();
    final DoubleProperty fraction = new SimpleDoubleProperty();
    final StringProperty speed = new SimpleStringProperty("");
    final StringProperty eta = new SimpleStringProperty("");
    final StringProperty status = new SimpleStringProperty("");
    final StringProperty reason = new SimpleStringProperty();
    final ObjectProperty<Set<Action>> actions = new SimpleObjectProperty<>(Set.of());
    final BooleanProperty troubled = new SimpleBooleanProperty();

    QueueEntry() {}

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

    /** The state in the queue's words: "Sending", or for a folder "Sending · 1,234 of 5,000 done · 2 failed". */
    public ReadOnlyStringProperty statusProperty() {
        return status;
    }

    /** Why it stopped, for its tooltip; null when nothing went wrong. */
    public ReadOnlyStringProperty reasonProperty() {
        return reason;
    }

    /** What a person can do with it now; changes when its state (or one of its files' states) does. */
    public ReadOnlyObjectProperty<Set<Action>> actionsProperty() {
        return actions;
    }

    /** True when something stopped it that "What happened" can explain. */
    public ReadOnlyBooleanProperty troubledProperty() {
        return troubled;
    }

    /**
     * True when the state shown (for a folder, one of its files' states) lets a person take
     * {@code action}. Read through {@link #actionsProperty}, so that a binding on it hears every change.
     */
    public boolean allows(Action action) {
        return actions.get().contains(action);
    }
}
