package io.skylift.ui.browser;

import io.skylift.engine.ArchiveState;
import io.skylift.engine.Deletion;
import io.skylift.engine.RemoteEntry;
import io.skylift.engine.RestoreTier;
import io.skylift.ui.Format;
import io.skylift.ui.Styles;
import io.skylift.ui.share.ShareDialog;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The remote browser: where you are, a filter, a table of folders and files with their archive
 * state, and what can be done with a selection: "Download to…", Share… (one file or folder), Rename,
 * Delete, and Restore in the shared archive. Delete and Rename are offered only inside the person's
 * own folder; Share… and Restore only through the Skylift API.
 */
public final class BrowserView extends BorderPane {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH).withZone(ZoneId.systemDefault());
    private final TableView<RemoteEntry> table = new TableView<>();
    private final BrowserViewModel model;

    /** @param download receives the selected files and folders when the person chooses "Download to…" */
    public BrowserView(BrowserViewModel model, Consumer<List<RemoteEntry>> download) {
        this.model = model;
        ComboBox<String> root = new ComboBox<>();
        root.getItems().setAll(model.roots());
        root.setAccessibleText("Storage area");
        root.setValue(model.roots().isEmpty() ? null : model.roots().getFirst());
        // Choosing a place opens its top; a folder opened some other way shows the place it is in.
        root.setOnAction(e -> {
            String folder = model.folderProperty().get();
            if (root.getValue() != null && (folder == null || !root.getValue().equals(placeOf(model, folder)))) {
                model.open(root.getValue());
            }
        });
        model.folderProperty().addListener((seen, was, now) -> {
            String place = placeOf(model, now);
            if (place != null && !place.equals(root.getValue())) {
                root.setValue(place);
            }
        });
        root.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(String prefix) {
                return model.describe(prefix);
            }

            @Override
            public String fromString(String text) {
                return text;
            }
        });

        Button up = new Button(null, new FontIcon(Feather.CORNER_LEFT_UP));
        up.setAccessibleText("Up one folder");
        up.setTooltip(new javafx.scene.control.Tooltip("Up one folder"));
        up.setOnAction(e -> model.up());
        Label path = new Label();
        path.getStyleClass().add(Styles.MUTED);
        path.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> model.describe(model.folderProperty().get()), model.folderProperty()));

        TextField filter = new TextField();
        filter.setId("filter");
        filter.setPromptText("Filter by name");
        filter.setAccessibleText("Filter by name");
        filter.textProperty().bindBidirectional(model.filterProperty());

        Button refresh = new Button(null, new FontIcon(Feather.REFRESH_CW));
        refresh.setAccessibleText("Refresh");
        refresh.setTooltip(new javafx.scene.control.Tooltip("Refresh"));
        refresh.setOnAction(e -> model.refresh());

        Button downloadButton = new Button("Download to…", new FontIcon(Feather.DOWNLOAD));
        downloadButton.setId("download");
        downloadButton.getStyleClass().add("accent");
        downloadButton.disableProperty().bind(Bindings.isEmpty(table.getSelectionModel().getSelectedItems()));
        downloadButton.setOnAction(e -> download.accept(selected()));

        // Only one's own folder can be changed: elsewhere (the shared archive) the buttons are not there.
        BooleanBinding ownFolder = Bindings.createBooleanBinding(() -> model.inOwnFolder(model.folderProperty().get()), model.folderProperty());
        Button rename = new Button("Rename…", new FontIcon(Feather.EDIT_2));
        rename.setId("rename");
        rename.visibleProperty().bind(ownFolder);
        rename.managedProperty().bind(ownFolder);
        rename.disableProperty().bind(Bindings.createBooleanBinding(() -> table.getSelectionModel().getSelectedItems().size() != 1
                || !model.changeable(table.getSelectionModel().getSelectedItems().getFirst()), table.getSelectionModel().getSelectedItems()));
        rename.setOnAction(e -> rename());
        Button delete = new Button("Delete", new FontIcon(Feather.TRASH_2));
        delete.setId("delete");
        delete.setTooltip(new javafx.scene.control.Tooltip("Delete the selected files and folders (Delete)"));
        delete.visibleProperty().bind(ownFolder);
        delete.managedProperty().bind(ownFolder);
        delete.disableProperty().bind(unless(model::changeable));
        delete.setOnAction(e -> delete());
        Button restore = new Button("Restore…", new FontIcon(Feather.ROTATE_CCW));
        restore.setId("restore");
        restore.setTooltip(new javafx.scene.control.Tooltip("Bring archived files back so that they can be downloaded"));
        BooleanBinding archiveArea = Bindings.createBooleanBinding(() -> model.managed() && !ownFolder.get(), ownFolder);
        restore.visibleProperty().bind(archiveArea);
        restore.managedProperty().bind(archiveArea);
        restore.disableProperty().bind(Bindings.createBooleanBinding(() -> table.getSelectionModel().getSelectedItems().stream()
                .noneMatch(model::restorable), table.getSelectionModel().getSelectedItems()));
        restore.setOnAction(e -> restore());
        Button share = new Button("Share…", new FontIcon(Feather.SHARE_2));
        share.setId("share");
        share.setTooltip(new javafx.scene.control.Tooltip("A link to the selected file or folder that opens in any browser"));
        share.setVisible(model.managed());
        share.setManaged(model.managed());
        share.disableProperty().bind(Bindings.size(table.getSelectionModel().getSelectedItems()).isNotEqualTo(1));
        share.setOnAction(e -> share());
        model.askBeforeDeleting(this::confirmDelete);

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(8, root, up, path, spacer, filter, refresh, rename, delete, restore, share, downloadButton);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(0, 0, 10, 0));
        bar.getStyleClass().add(Styles.TOOLBAR);

        table.setId("browser");
        table.setAccessibleText("Files in storage");
        table.setItems(model.entries());
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<RemoteEntry, RemoteEntry> state = stateColumn();
        // Shown where there is something to say: a folder with archived files.
        state.visibleProperty().bind(Bindings.createBooleanBinding(() -> model.entries().stream()
                .anyMatch(e -> e.archive().kind() != ArchiveState.Kind.NONE), model.entries()));
        table.getColumns().setAll(nameColumn(), state, sizeColumn(), dateColumn());
        Label placeholder = new Label("This folder is empty.");
        placeholder.getStyleClass().add(Styles.MUTED);
        table.setPlaceholder(placeholder);
        table.setRowFactory(t -> {
            TableRow<RemoteEntry> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && row.getItem() != null && row.getItem().folder()) {
                    model.open(row.getItem().key());
                }
            });
            return row;
        });
        table.setOnKeyPressed(e -> {
            RemoteEntry selected = table.getSelectionModel().getSelectedItem();
            if (e.getCode() == KeyCode.ENTER && selected != null && selected.folder()) {
                model.open(selected.key());
            } else if (e.getCode() == KeyCode.BACK_SPACE) {
                model.up();
            } else if (e.getCode() == KeyCode.DELETE && !delete.isDisabled() && delete.isVisible()) {
                delete();
            }
        });

        setTop(bar);
        setCenter(table);
        setPadding(new Insets(14));
    }

    // The readable place a folder lies in: the longest root it begins with.
    private static String placeOf(BrowserViewModel model, String folder) {
        return folder == null ? null : model.roots().stream().filter(folder::startsWith)
                .max(java.util.Comparator.comparingInt(String::length)).orElse(null);
    }

    public TableView<RemoteEntry> table() {
        return table;
    }

    private List<RemoteEntry> selected() {
        return List.copyOf(table.getSelectionModel().getSelectedItems());
    }

    // Disabled while nothing is selected or some of the selection does not allow it.
    private BooleanBinding unless(Predicate<RemoteEntry> allowed) {
        return Bindings.createBooleanBinding(() -> table.getSelectionModel().getSelectedItems().isEmpty()
                || !table.getSelectionModel().getSelectedItems().stream().allMatch(allowed), table.getSelectionModel().getSelectedItems());
    }

    private void delete() {
        List<RemoteEntry> chosen = selected();
        if (!chosen.isEmpty()) {
            model.delete(chosen);
        }
    }

    // Folders are counted by their files, as they are deleted.
    private boolean confirmDelete(Deletion asked) {
        ButtonType delete = new ButtonType("Delete", ButtonBar.ButtonData.OK_DONE);
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, "", delete, ButtonType.CANCEL);
        alert.initOwner(getScene().getWindow());
        alert.setTitle("Skylift - Delete");
        alert.setHeaderText("Delete " + files(asked.files()) + " (" + Format.bytes(asked.bytes()) + ")?");
        alert.setContentText("They are removed from storage for everyone. An administrator can bring back a file deleted by"
                + " mistake for as long as your organisation keeps deleted files (30 days unless it chose otherwise)."
                + (asked.failed().isEmpty() ? "" : "\n\n" + files(asked.failed().size()) + " of the selection cannot be deleted: "
                + asked.failed().getFirst().message()));
        // A slip of the Enter key deletes nothing.
        ((Button) alert.getDialogPane().lookupButton(delete)).setDefaultButton(false);
        ((Button) alert.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        return alert.showAndWait().orElse(ButtonType.CANCEL) == delete;
    }

    private static String files(long count) {
        return String.format(Locale.ROOT, count == 1 ? "%,d file" : "%,d files", count);
    }

    private void share() {
        List<RemoteEntry> chosen = selected();
        if (chosen.size() == 1) {
            new ShareDialog(getScene().getWindow(), model.share(chosen.getFirst())).show();
        }
    }

    private void rename() {
        RemoteEntry entry = table.getSelectionModel().getSelectedItem();
        if (entry == null) {
            return;
        }
        TextInputDialog dialog = new TextInputDialog(entry.name());
        dialog.initOwner(getScene().getWindow());
        dialog.setTitle("Skylift - Rename");
        dialog.setHeaderText("Rename \"" + entry.name() + "\"");
        dialog.setContentText("New name:");
        dialog.getEditor().setId("new-name");
        dialog.getDialogPane().lookupButton(ButtonType.OK).disableProperty().bind(Bindings.createBooleanBinding(
                () -> dialog.getEditor().getText().isBlank() || dialog.getEditor().getText().strip().equals(entry.name()),
                dialog.getEditor().textProperty()));
        dialog.showAndWait().ifPresent(name -> model.rename(entry, name));
    }

    private void restore() {
        List<RemoteEntry> chosen = selected().stream().filter(model::restorable).toList();
        if (chosen.isEmpty()) {
            return;
        }
        ButtonType restore = new ButtonType("Restore", ButtonBar.ButtonData.OK_DONE);
        Dialog<ButtonType> dialog = new Dialog<>();
        dialog.initOwner(getScene().getWindow());
        dialog.setTitle("Skylift - Restore");
        dialog.setHeaderText(chosen.size() == 1 ? "Restore \"" + chosen.getFirst().name() + "\" from the archive"
                : "Restore " + chosen.size() + " selected items from the archive");
        Spinner<Integer> days = new Spinner<>(1, 365, 7);
        days.setId("restore-days");
        days.setEditable(true);
        days.setAccessibleText("Days to keep the restored copy");
        ChoiceBox<RestoreTier> tier = new ChoiceBox<>();
        tier.setId("restore-tier");
        tier.setAccessibleText("Speed");
        tier.getItems().setAll(RestoreTier.values());
        tier.setValue(RestoreTier.STANDARD);
        tier.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(RestoreTier t) {
                return t == null ? "" : switch (t) {
                    case BULK -> "Bulk (cheapest, 5 to 12 hours; up to 48 for Deep Archive)";
                    case STANDARD -> "Standard (3 to 5 hours; up to 12 for Deep Archive)";
                    case EXPEDITED -> "Expedited (minutes; not for Deep Archive)";
                };
            }

            @Override
            public RestoreTier fromString(String text) {
                return null;
            }
        });
        GridPane form = new GridPane();
        form.setHgap(10);
        form.setVgap(10);
        Label daysLabel = new Label("Keep the restored copy for (days)");
        daysLabel.setLabelFor(days);
        Label tierLabel = new Label("Speed");
        tierLabel.setLabelFor(tier);
        form.addRow(0, daysLabel, days);
        form.addRow(1, tierLabel, tier);
        Label after = new Label("The files show as Restoring… until storage has them back; then they download as usual.");
        after.setWrapText(true);
        after.getStyleClass().add(Styles.MUTED);
        form.add(after, 0, 2, 2, 1);
        dialog.getDialogPane().setContent(form);
        dialog.getDialogPane().getButtonTypes().setAll(restore, ButtonType.CANCEL);
        if (dialog.showAndWait().orElse(ButtonType.CANCEL) == restore) {
            days.commitValue(); // a number typed and not yet committed with Enter counts
            model.restore(chosen, days.getValue(), tier.getValue());
        }
    }

    /** A file's archive state in words; empty for a file that downloads now and for a folder. */
    public static String stateOf(RemoteEntry entry) {
        ArchiveState state = entry.archive();
        return switch (state.kind()) {
            case NONE -> "";
            case ARCHIVED -> "Archived";
            case RESTORING -> "Restoring\u2026";
            case RESTORED -> state.until() == null ? "Restored" : "Restored until " + DAY.format(state.until());
        };
    }

    private static TableColumn<RemoteEntry, RemoteEntry> stateColumn() {
        TableColumn<RemoteEntry, RemoteEntry> column = new TableColumn<>("State");
        column.setPrefWidth(250);
        column.setMinWidth(250); // "Restored until 28 Sep 2026" whole
        column.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        column.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(RemoteEntry entry, boolean empty) {
                super.updateItem(entry, empty);
                getStyleClass().removeAll(Styles.ARCHIVED, Styles.RESTORING, Styles.RESTORED);
                if (empty || entry == null || entry.archive().kind() == ArchiveState.Kind.NONE) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                setText(stateOf(entry));
                ArchiveState.Kind kind = entry.archive().kind();
                getStyleClass().add(kind == ArchiveState.Kind.ARCHIVED ? Styles.ARCHIVED
                        : kind == ArchiveState.Kind.RESTORING ? Styles.RESTORING : Styles.RESTORED);
                setGraphic(new FontIcon(kind == ArchiveState.Kind.ARCHIVED ? Feather.ARCHIVE
                        : kind == ArchiveState.Kind.RESTORING ? Feather.CLOCK : Feather.CHECK_CIRCLE));
            }
        });
        column.setComparator((a, b) -> Integer.compare(a.archive().kind().ordinal(), b.archive().kind().ordinal()));
        return column;
    }

    private static TableColumn<RemoteEntry, RemoteEntry> nameColumn() {
        TableColumn<RemoteEntry, RemoteEntry> column = new TableColumn<>("Name");
        column.setPrefWidth(480);
        column.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        column.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(RemoteEntry entry, boolean empty) {
                super.updateItem(entry, empty);
                if (empty || entry == null) {
                    setText(null);
                    setGraphic(null);
                } else {
                    setText(entry.name());
                    FontIcon icon = new FontIcon(entry.folder() ? Feather.FOLDER : Feather.FILE);
                    icon.getStyleClass().add(Styles.MUTED);
                    setGraphic(icon);
                }
            }
        });
        column.setComparator((a, b) -> a.folder() != b.folder() ? (a.folder() ? -1 : 1) : a.name().compareToIgnoreCase(b.name()));
        return column;
    }

    private static TableColumn<RemoteEntry, String> sizeColumn() {
        TableColumn<RemoteEntry, String> column = new TableColumn<>("Size");
        column.setPrefWidth(110);
        column.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().folder() ? "" : Format.bytes(c.getValue().size())));
        return column;
    }

    private static TableColumn<RemoteEntry, String> dateColumn() {
        TableColumn<RemoteEntry, String> column = new TableColumn<>("Modified");
        column.setPrefWidth(170);
        column.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().lastModified() == null ? ""
                : WHEN.format(c.getValue().lastModified())));
        return column;
    }
}
