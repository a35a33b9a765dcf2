package io.skylift.ui.browser;

import io.skylift.engine.RemoteEntry;
import io.skylift.engine.TransferEngine;
import io.skylift.ui.Background;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * The remote file browser: one folder at a time (all its pages), filtered by a text box. Listing
 * happens in the background; JavaFX thread only otherwise.
 */
public final class BrowserViewModel {

    private final TransferEngine engine;
    private final Background background;
    private final List<String> roots;
    private final ObservableList<RemoteEntry> entries = FXCollections.observableArrayList();
    private final FilteredList<RemoteEntry> visible = new FilteredList<>(entries);
    private final StringProperty folder = new SimpleStringProperty("");
    private final StringProperty filter = new SimpleStringProperty("");
    private final BooleanProperty loading = new SimpleBooleanProperty();
    private final ObjectProperty<Throwable> error = new SimpleObjectProperty<>();

    public BrowserViewModel(TransferEngine engine, Background background, List<String> roots) {
        this.engine = engine;
        this.background = background;
        this.roots = List.copyOf(roots);
        filter.addListener((o, was, now) -> {
            String needle = now == null ? "" : now.strip().toLowerCase(Locale.ROOT);
            visible.setPredicate(e -> needle.isEmpty() || e.name().toLowerCase(Locale.ROOT).contains(needle));
        });
    }

    public ObservableList<RemoteEntry> entries() {
        return visible;
    }

    public ReadOnlyStringProperty folderProperty() {
        return folder;
    }

    public StringProperty filterProperty() {
        return filter;
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading;
    }

    public ReadOnlyObjectProperty<Throwable> errorProperty() {
        return error;
    }

    /** A prefix in words: "My files / 2026 wedding", "Shared archive / case-4411". */
    public String describe(String prefix) {
        if (prefix == null) {
            return "";
        }
        for (int i = 0; i < roots.size(); i++) {
            String root = roots.get(i);
            if (prefix.startsWith(root)) {
                String rest = prefix.substring(root.length());
                // A direct connection reads a whole bucket, from its top.
                String place = root.isEmpty() ? "Bucket" : i == 0 ? "My files" : "Shared archive";
                return rest.isEmpty() ? place : place + " / " + rest.substring(0, rest.length() - 1).replace("/", " / ");
            }
        }
        return prefix;
    }

    /** The places a person may read: their own folder, and the archive for staff. */
    public List<String> roots() {
        return roots;
    }

    public void open(String prefix) {
        folder.set(prefix);
        refresh();
    }

    /** Up one folder, but not above a root. */
    public void up() {
        String current = folder.get();
        if (roots.contains(current) || current.isEmpty()) {
            return;
        }
        String trimmed = current.substring(0, current.length() - 1);
        open(trimmed.substring(0, trimmed.lastIndexOf('/') + 1));
    }

    public void refresh() {
        String prefix = folder.get();
        loading.set(true);
        error.set(null);
        background.run(() -> engine.listAll(prefix, true), list -> {
            if (prefix.equals(folder.get())) {
                entries.setAll(list);
                loading.set(false);
            }
        }, failure -> {
            loading.set(false);
            error.set(failure);
        });
    }
}
