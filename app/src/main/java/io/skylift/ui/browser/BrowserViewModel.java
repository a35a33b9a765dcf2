package io.skylift.ui.browser;

import io.skylift.engine.ArchiveState;
import io.skylift.engine.Deletion;
import io.skylift.engine.FileFailure;
import io.skylift.engine.RemoteEntry;
import io.skylift.engine.RestoreState;
import io.skylift.engine.RestoreTier;
import io.skylift.engine.TransferEngine;
import io.skylift.engine.TransferException;
import io.skylift.ui.Background;
import io.skylift.ui.share.ShareDialogModel;
import io.skylift.ui.share.SharesViewModel;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
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
 * The remote file browser: one folder at a time (all its pages), filtered by a text box, and what a
 * person does to stored files: delete (after a question naming the count and size), rename, and
 * restore from the archive, and share one file or folder by a link (the links made are in {@link
 * #shares()}). Listing and every change happen in the background; JavaFX thread only otherwise.
 *
 * <pre>{@code
 * BrowserViewModel browser = new BrowserViewModel(engine, background, account.readablePrefixes(), account.home());
 * browser.askBeforeDeleting(d -> confirm("Delete " + d.files() + " files?"));
 * browser.delete(selected);
 * }</pre>
 */
public final class BrowserViewModel {

    /** Failures named one by one in a report; the rest are counted. */
    static final int FAILURES_NAMED = 5;

    private final TransferEngine engine;
    private final Background background;
    private final List<String> roots;
    private final String home;
    private final ObservableList<RemoteEntry> entries = FXCollections.observableArrayList();
    private final FilteredList<RemoteEntry> visible = new FilteredList<>(entries);
    private final StringProperty folder = new SimpleStringProperty("");
    private final StringProperty filter = new SimpleStringProperty("");
    private final BooleanProperty loading = new SimpleBooleanProperty();
    private final SharesViewModel shares;
    private final ObjectProperty<Throwable> error = new SimpleObjectProperty<>();
    private Predicate<Deletion> deleteQuestion = asked -> false;
    private BiConsumer<String, Throwable> onProblem = (what, e) -> { };

    /**
     * @param roots the places the person may read, their own first
     * @param home  their own folder: the only place they may delete and rename in
     */
    public BrowserViewModel(TransferEngine engine, Background background, List<String> roots, String home) {
        this.engine = engine;
        this.background = background;
        this.roots = List.copyOf(roots);
        this.home = home;
        this.shares = new SharesViewModel(engine.shares(), background);
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
            onProblem.accept("Files", failure);
        });
    }

    /** Asked on the FX thread, once per delete, with what would go; false means "delete nothing". */
    public void askBeforeDeleting(Predicate<Deletion> question) {
        this.deleteQuestion = question;
    }

    /** Told on the FX thread what the person asked for ("Delete", "Rename", …) and why it could not be done. */
    public void onProblem(BiConsumer<String, Throwable> listener) {
        this.onProblem = listener;
    }

    /**
     * Whether delete, rename and restore are there at all: the Skylift API does them, so a window
     * connected straight to a bucket has none.
     */
    public boolean managed() {
        return engine.settings().direct() == null;
    }

    /** Whether {@code prefix} lies in the person's own folder, where they may delete and rename. */
    public boolean inOwnFolder(String prefix) {
        return managed() && prefix != null && prefix.startsWith(home);
    }

    /** The person's live share links, joined by each one made through {@link #share}. */
    public SharesViewModel shares() {
        return shares;
    }

    /** Making a link to one file or folder: the Share… dialog's state. Only through the Skylift API ({@link #managed()}). */
    public ShareDialogModel share(RemoteEntry entry) {
        return shares.dialogFor(entry.key(), entry.name());
    }

    /** Whether the person may delete or rename this: only inside their own folder, never the shared archive. */
    public boolean changeable(RemoteEntry entry) {
        return inOwnFolder(entry.key()) && !entry.key().equals(home);
    }

    /** Whether a restore can be asked for: an archived or restored file (asking again extends it), or a folder outside one's own. */
    public boolean restorable(RemoteEntry entry) {
        return managed() && (entry.folder() ? !inOwnFolder(entry.key()) : entry.archive().kind() != ArchiveState.Kind.NONE);
    }

    /**
     * Deletes files and folders (every file below them): counts them first, asks with the count and
     * size, then deletes and lists the folder again. Refusals keep the service's words.
     */
    public void delete(List<RemoteEntry> selected) {
        List<String> keys = selected.stream().map(RemoteEntry::key).toList();
        java.time.Instant counted = java.time.Instant.now();
        background.run(() -> engine.files().previewDelete(keys), asked -> {
            if (asked.files() == 0) {
                onProblem.accept("Delete", refused("deleted", asked.failed()));
            } else if (deleteQuestion.test(asked)) {
                // Only what the question counted: a file stored into the folder while it was asked stays.
                background.run(() -> engine.files().delete(keys, counted), done -> {
                    refresh();
                    if (!done.failed().isEmpty()) {
                        onProblem.accept("Delete", refused("deleted", done.failed()));
                    }
                }, e -> {
                    refresh();
                    onProblem.accept("Delete", e);
                });
            }
        }, e -> onProblem.accept("Delete", e));
    }

    /**
     * Renames a file or folder in place; storage never replaces a file, so a name already taken is
     * refused in the service's words and nothing changes.
     */
    public void rename(RemoteEntry entry, String newName) {
        String name = newName == null ? "" : newName.strip();
        if (name.isEmpty() || name.contains("/")) {
            onProblem.accept("Rename", new IllegalArgumentException(name.isEmpty() ? "A name cannot be empty."
                    : "A name cannot contain '/'. To move a file into another folder, use `skylift mv`."));
            return;
        }
        if (name.equals(entry.name())) {
            return;
        }
        String trimmed = entry.folder() ? entry.key().substring(0, entry.key().length() - 1) : entry.key();
        String target = trimmed.substring(0, trimmed.lastIndexOf('/') + 1) + name + (entry.folder() ? "/" : "");
        background.run(() -> engine.files().move(entry.key(), target), moved -> {
            refresh();
            if (!moved.failed().isEmpty()) {
                onProblem.accept("Rename", refused("moved", moved.failed()));
            }
        }, e -> {
            refresh();
            onProblem.accept("Rename", e);
        });
    }

    /** Asks storage to restore archived files (and those below folders) for {@code days}; their rows show the new state at once. */
    public void restore(List<RemoteEntry> selected, int days, RestoreTier tier) {
        List<String> keys = selected.stream().map(RemoteEntry::key).toList();
        background.run(() -> engine.files().restore(keys, days, tier), this::show, e -> onProblem.accept("Restore", e));
    }

    private void show(List<RestoreState> states) {
        Map<String, ArchiveState> now = states.stream().collect(Collectors.toMap(RestoreState::key, RestoreState::state, (a, b) -> b));
        entries.replaceAll(e -> now.containsKey(e.key())
                ? new RemoteEntry(e.key(), e.folder(), e.size(), e.etag(), e.lastModified(), e.storageClass(), now.get(e.key()))
                : e);
    }

    // Files the service would not change, in its words: the first few by name, the others counted.
    static TransferException refused(String done, List<FileFailure> failed) {
        StringBuilder words = new StringBuilder(failed.size() == 1 ? "1 file was not " + done + ":"
                : failed.size() + " files were not " + done + ":");
        failed.stream().limit(FAILURES_NAMED).forEach(f -> words.append('\n')
                .append(f.message().contains(f.key()) ? "" : f.key() + ": ").append(f.message()));
        if (failed.size() > FAILURES_NAMED) {
            words.append("\n… and ").append(failed.size() - FAILURES_NAMED).append(" more.");
        }
        boolean forbidden = failed.stream().anyMatch(f -> "KEY_FORBIDDEN".equals(f.code()));
        boolean missing = failed.stream().allMatch(f -> "FILE_NOT_FOUND".equals(f.code()));
        return new TransferException(forbidden ? TransferException.Reason.FORBIDDEN : missing ? TransferException.Reason.NOT_FOUND
                : TransferException.Reason.BAD_REQUEST, words.toString(), false);
    }
}
