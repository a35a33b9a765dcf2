package io.skylift.ui.queue;

import io.skylift.engine.Direction;
import io.skylift.engine.TransferState;
import io.skylift.engine.TransferState.Action;
import io.skylift.ui.Styles;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The transfer queue: a table of transfers and dropped folders with their controls, or a welcome
 * when it is empty. A folder is one line that opens to its files.
 */
public final class QueueView extends StackPane {

    /** Style class of a dropped folder's file count, beside its name. */
    public static final String FOLDER_COUNT = "folder-count";

    private final TreeTableView<QueueEntry> table = new TreeTableView<>();

    /** @param explain shows what happened to a transfer that failed or was stopped by a problem */
    public QueueView(QueueViewModel model, Consumer<TransferRow> explain) {
        getStyleClass().add(Styles.DROP_ZONE);
        table.setRoot(QueueTree.of(model));
        table.setShowRoot(false);
        table.setId("queue");
        table.setAccessibleText("Transfers");
        table.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().setAll(List.of(nameColumn(), textColumn("Size", 90, QueueEntry::sizeProperty), progressColumn(),
                textColumn("Speed", 100, QueueEntry::speedProperty), textColumn("Time left", 100, QueueEntry::etaProperty),
                stateColumn(), actionsColumn(model, explain)));
        table.setPlaceholder(new Label(""));
        // Without a mouse: Space pauses or resumes the selected lines, Delete cancels them, Enter
        // tells what stopped them; Left and Right close and open a folder, as in any tree.
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        // A filter, not a handler: the table itself would take Space for selecting first.
        table.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            List<QueueEntry> selected = table.getSelectionModel().getSelectedItems().stream()
                    .filter(Objects::nonNull).map(TreeItem::getValue).filter(Objects::nonNull).toList();
            switch (e.getCode()) {
                case SPACE -> {
                    selected.forEach(model::toggle);
                    e.consume();
                }
                case DELETE -> {
                    selected.forEach(model::cancel);
                    e.consume();
                }
                case ENTER -> {
                    selected.stream().map(model::firstProblem).flatMap(java.util.Optional::stream).findFirst().ifPresent(explain);
                    e.consume();
                }
                default -> { }
            }
        });

        VBox empty = new VBox(8);
        empty.getStyleClass().add(Styles.EMPTY);
        empty.setAlignment(Pos.CENTER);
        FontIcon icon = new FontIcon(Feather.UPLOAD_CLOUD);
        icon.setIconSize(64);
        Label title = new Label("Drop photos or folders here");
        title.getStyleClass().add(Styles.EMPTY_TITLE);
        Label hint = new Label("They go straight to your storage, checked and resumable. Or use Add files above.");
        hint.getStyleClass().add(Styles.EMPTY_HINT);
        empty.getChildren().addAll(icon, title, hint);
        empty.setMouseTransparent(true);
        empty.visibleProperty().bind(Bindings.isEmpty(model.entries()));
        table.visibleProperty().bind(Bindings.isNotEmpty(model.entries()));
        getChildren().addAll(table, empty);
    }

    public TreeTableView<QueueEntry> table() {
        return table;
    }

    private static TreeTableColumn<QueueEntry, QueueEntry> entryColumn(String title, double width) {
        TreeTableColumn<QueueEntry, QueueEntry> column = new TreeTableColumn<>(title);
        column.setPrefWidth(width);
        column.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().getValue()));
        return column;
    }

    private static TreeTableColumn<QueueEntry, QueueEntry> nameColumn() {
        TreeTableColumn<QueueEntry, QueueEntry> column = entryColumn("Name", 300);
        column.setCellFactory(c -> new TreeTableCell<>() {
            private final FontIcon up = muted(new FontIcon(Feather.ARROW_UP));
            private final FontIcon down = muted(new FontIcon(Feather.ARROW_DOWN));
            private final Label folderName = new Label();
            private final Label count = new Label();
            private final HBox folder = new HBox(6, muted(new FontIcon(Feather.FOLDER)), folderName, count);

            {
                count.getStyleClass().addAll(Styles.MUTED, FOLDER_COUNT);
                folder.setAlignment(Pos.CENTER_LEFT);
            }

            @Override
            protected void updateItem(QueueEntry entry, boolean empty) {
                super.updateItem(entry, empty);
                textProperty().unbind();
                folderName.textProperty().unbind();
                count.textProperty().unbind();
                switch (empty ? null : entry) {
                    case null -> {
                        setText(null);
                        setGraphic(null);
                    }
                    case TransferRow row -> {
                        textProperty().bind(row.nameProperty());
                        setGraphic(row.direction() == Direction.UPLOAD ? up : down);
                    }
                    case FolderRow shoot -> {
                        setText(null);
                        folderName.textProperty().bind(shoot.nameProperty());
                        count.textProperty().bind(shoot.countProperty());
                        setGraphic(folder);
                    }
                }
            }
        });
        return column;
    }

    private static FontIcon muted(FontIcon icon) {
        icon.getStyleClass().add(Styles.MUTED);
        return icon;
    }

    private static TreeTableColumn<QueueEntry, String> textColumn(String title, double width,
                                                                 Function<QueueEntry, ObservableValue<String>> value) {
        TreeTableColumn<QueueEntry, String> column = new TreeTableColumn<>(title);
        column.setPrefWidth(width);
        column.setCellValueFactory(c -> value.apply(c.getValue().getValue()));
        return column;
    }

    private static TreeTableColumn<QueueEntry, Number> progressColumn() {
        TreeTableColumn<QueueEntry, Number> column = new TreeTableColumn<>("Progress");
        column.setPrefWidth(180);
        column.setCellValueFactory(c -> c.getValue().getValue().fractionProperty());
        column.setCellFactory(c -> new TreeTableCell<>() {
            private final ProgressBar bar = new ProgressBar();

            {
                bar.setMaxWidth(Double.MAX_VALUE);
                bar.setAccessibleText("Progress");
            }

            @Override
            protected void updateItem(Number value, boolean empty) {
                super.updateItem(value, empty);
                if (empty || value == null) {
                    setGraphic(null);
                } else {
                    bar.setProgress(value.doubleValue());
                    setGraphic(bar);
                }
            }
        });
        return column;
    }

    private static TreeTableColumn<QueueEntry, QueueEntry> stateColumn() {
        TreeTableColumn<QueueEntry, QueueEntry> column = entryColumn("State", 250);
        column.setCellFactory(c -> new TreeTableCell<>() {
            private Tooltip reason; // made when a line first has a reason: a tooltip is a window of its own

            {
                getStyleClass().add(Styles.STATE);
            }

            @Override
            protected void updateItem(QueueEntry entry, boolean empty) {
                super.updateItem(entry, empty);
                textProperty().unbind();
                tooltipProperty().unbind();
                if (empty || entry == null) {
                    setText(null);
                    setTooltip(null);
                    return;
                }
                textProperty().bind(entry.statusProperty());
                tooltipProperty().bind(Bindings.createObjectBinding(() -> {
                    String why = entry.reasonProperty().get();
                    if (why == null) {
                        return null;
                    }
                    if (reason == null) {
                        reason = new Tooltip();
                    }
                    reason.setText(why);
                    return reason;
                }, entry.reasonProperty()));
            }
        });
        return column;
    }

    static String describe(TransferState state) {
        if (state == null) {
            return "";
        }
        return switch (state) {
            case QUEUED -> "Waiting";
            case RUNNING -> "Sending";
            case PAUSED -> "Paused";
            case VERIFYING -> "Checking";
            case DONE -> "Done";
            case FAILED -> "Failed";
            case CANCELLED -> "Cancelled";
        };
    }

    private static TreeTableColumn<QueueEntry, QueueEntry> actionsColumn(QueueViewModel model, Consumer<TransferRow> explain) {
        TreeTableColumn<QueueEntry, QueueEntry> column = entryColumn("", 140);
        column.setSortable(false);
        // One tooltip per action for the whole column: each is a window of its own, and a screen of
        // rows would otherwise make dozens of them the first time the queue fills.
        Map<String, Tooltip> tips = new HashMap<>();
        Function<String, Tooltip> tip = label -> tips.computeIfAbsent(label, Tooltip::new);
        column.setCellFactory(c -> new TreeTableCell<>() {
            private final Button pause = iconButton(Feather.PAUSE, tip.apply("Pause"));
            private final Button resume = iconButton(Feather.PLAY, tip.apply("Resume"));
            private final Button retry = iconButton(Feather.ROTATE_CW, tip.apply("Retry"));
            private final Button cancel = iconButton(Feather.X, tip.apply("Cancel"));
            private final Button details = iconButton(Feather.INFO, tip.apply("What happened"));
            private final HBox box = new HBox(4, pause, resume, retry, cancel, details);

            {
                box.getStyleClass().add(Styles.ROW_ACTIONS);
                box.setAlignment(Pos.CENTER_LEFT);
                pause.setOnAction(e -> model.pause(getItem()));
                resume.setOnAction(e -> model.resume(getItem()));
                retry.setOnAction(e -> model.retry(getItem()));
                cancel.setOnAction(e -> model.cancel(getItem()));
                details.setOnAction(e -> model.firstProblem(getItem()).ifPresent(explain));
            }

            @Override
            protected void updateItem(QueueEntry entry, boolean empty) {
                super.updateItem(entry, empty);
                if (empty || entry == null) {
                    setGraphic(null);
                    return;
                }
                // The state table says which actions a state allows; the engine refuses the rest.
                // For a folder: what at least one of its files allows.
                bindVisible(pause, entry, Action.PAUSE);
                bindVisible(resume, entry, Action.RESUME);
                bindVisible(retry, entry, Action.RETRY);
                bindVisible(cancel, entry, Action.CANCEL);
                details.visibleProperty().bind(entry.troubledProperty());
                details.managedProperty().bind(details.visibleProperty());
                setGraphic(box);
            }
        });
        return column;
    }

    private static void bindVisible(Button button, QueueEntry entry, Action action) {
        button.visibleProperty().bind(Bindings.createBooleanBinding(() -> entry.allows(action), entry.actionsProperty()));
        button.managedProperty().bind(button.visibleProperty());
    }

    private static Button iconButton(Feather icon, Tooltip label) {
        Button button = new Button(null, new FontIcon(icon));
        button.getStyleClass().addAll("button-icon", "flat");
        button.setTooltip(label);
        button.setAccessibleText(label.getText());
        return button;
    }
}
