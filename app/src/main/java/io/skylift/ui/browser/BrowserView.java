package io.skylift.ui.browser;

import io.skylift.engine.RemoteEntry;
import io.skylift.ui.Format;
import io.skylift.ui.Styles;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** The remote browser: where you are, a filter, a table of folders and files, and "Download to…". */
public final class BrowserView extends BorderPane {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm").withZone(ZoneId.systemDefault());
    private final TableView<RemoteEntry> table = new TableView<>();

    /** @param download receives the selected files when the person chooses "Download to…" */
    public BrowserView(BrowserViewModel model, Consumer<List<RemoteEntry>> download) {
        ComboBox<String> root = new ComboBox<>();
        root.getItems().setAll(model.roots());
        root.setAccessibleText("Storage area");
        root.setValue(model.roots().isEmpty() ? null : model.roots().getFirst());
        root.setOnAction(e -> model.open(root.getValue()));
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
        downloadButton.setOnAction(e -> download.accept(selectedFiles()));

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(8, root, up, path, spacer, filter, refresh, downloadButton);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(0, 0, 10, 0));
        bar.getStyleClass().add(Styles.TOOLBAR);

        table.setId("browser");
        table.setAccessibleText("Files in storage");
        table.setItems(model.entries());
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().setAll(nameColumn(), sizeColumn(), dateColumn());
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
            }
        });

        setTop(bar);
        setCenter(table);
        setPadding(new Insets(14));
    }

    public TableView<RemoteEntry> table() {
        return table;
    }

    private List<RemoteEntry> selectedFiles() {
        return table.getSelectionModel().getSelectedItems().stream().filter(e -> !e.folder()).toList();
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
