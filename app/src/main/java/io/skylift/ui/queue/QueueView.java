package io.skylift.ui.queue;

import io.skylift.engine.Direction;
import io.skylift.engine.TransferState;
import io.skylift.engine.TransferState.Action;
import io.skylift.ui.Styles;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** The transfer queue: a table of transfers with their controls, or a welcome when it is empty. */
public final class QueueView extends StackPane {

    private final TableView<TransferRow> table = new TableView<>();

    /** @param explain shows what happened to a transfer that failed or was stopped by a problem */
    public QueueView(QueueViewModel model, Consumer<TransferRow> explain) {
        getStyleClass().add(Styles.DROP_ZONE);
        table.setItems(model.rows());
        table.setId("queue");
        table.setAccessibleText("Transfers");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().setAll(nameColumn(), textColumn("Size", 90, TransferRow::sizeProperty), progressColumn(),
                textColumn("Speed", 100, TransferRow::speedProperty), textColumn("Time left", 100, TransferRow::etaProperty),
                stateColumn(), actionsColumn(model, explain));
        table.setPlaceholder(new Label(""));
        // Without a mouse: Space pauses or resumes the selected transfers, Delete cancels them,
        // Enter tells what stopped them.
        table.getSelectionModel().setSelectionMode(javafx.scene.control.SelectionMode.MULTIPLE);
        // A filter, not a handler: the table itself would take Space for selecting first.
        table.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            var selected = java.util.List.copyOf(table.getSelectionModel().getSelectedItems());
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
                    selected.stream().filter(QueueView::hasProblem).findFirst().ifPresent(explain);
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
        empty.visibleProperty().bind(Bindings.isEmpty(model.rows()));
        table.visibleProperty().bind(Bindings.isNotEmpty(model.rows()));
        getChildren().addAll(table, empty);
    }

    public TableView<TransferRow> table() {
        return table;
    }

    private static TableColumn<TransferRow, TransferRow> nameColumn() {
        TableColumn<TransferRow, TransferRow> column = new TableColumn<>("Name");
        column.setPrefWidth(320);
        column.setCellValueFactory(c -> new javafx.beans.property.ReadOnlyObjectWrapper<>(c.getValue()));
        column.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(TransferRow row, boolean empty) {
                super.updateItem(row, empty);
                textProperty().unbind();
                if (empty || row == null) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                textProperty().bind(row.nameProperty());
                FontIcon icon = new FontIcon(row.direction() == Direction.UPLOAD ? Feather.ARROW_UP : Feather.ARROW_DOWN);
                icon.getStyleClass().add(Styles.MUTED);
                setGraphic(icon);
            }
        });
        return column;
    }

    private static TableColumn<TransferRow, String> textColumn(String title, double width,
                                                              java.util.function.Function<TransferRow, javafx.beans.value.ObservableValue<String>> value) {
        TableColumn<TransferRow, String> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        column.setCellValueFactory(c -> value.apply(c.getValue()));
        return column;
    }

    private static TableColumn<TransferRow, Number> progressColumn() {
        TableColumn<TransferRow, Number> column = new TableColumn<>("Progress");
        column.setPrefWidth(180);
        column.setCellValueFactory(c -> c.getValue().fractionProperty());
        column.setCellFactory(c -> new TableCell<>() {
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

    private static TableColumn<TransferRow, TransferRow> stateColumn() {
        TableColumn<TransferRow, TransferRow> column = new TableColumn<>("State");
        column.setPrefWidth(130);
        column.setCellValueFactory(c -> new javafx.beans.property.ReadOnlyObjectWrapper<>(c.getValue()));
        column.setCellFactory(c -> new TableCell<>() {
            private final Tooltip reason = new Tooltip();

            {
                getStyleClass().add(Styles.STATE);
            }

            @Override
            protected void updateItem(TransferRow row, boolean empty) {
                super.updateItem(row, empty);
                textProperty().unbind();
                reason.textProperty().unbind();
                tooltipProperty().unbind();
                if (empty || row == null) {
                    setText(null);
                    setTooltip(null);
                    return;
                }
                textProperty().bind(Bindings.createStringBinding(() -> describe(row.stateProperty().get()), row.stateProperty()));
                reason.textProperty().bind(row.reasonProperty());
                tooltipProperty().bind(Bindings.when(row.reasonProperty().isNull()).then((Tooltip) null).otherwise(reason));
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

    static boolean hasProblem(TransferRow row) {
        String reason = row.reasonProperty().get();
        return reason != null && !reason.isBlank();
    }

    private static TableColumn<TransferRow, TransferRow> actionsColumn(QueueViewModel model, Consumer<TransferRow> explain) {
        TableColumn<TransferRow, TransferRow> column = new TableColumn<>("");
        column.setPrefWidth(140);
        column.setSortable(false);
        column.setCellValueFactory(c -> new javafx.beans.property.ReadOnlyObjectWrapper<>(c.getValue()));
        column.setCellFactory(c -> new TableCell<>() {
            private final Button pause = iconButton(Feather.PAUSE, "Pause");
            private final Button resume = iconButton(Feather.PLAY, "Resume");
            private final Button retry = iconButton(Feather.ROTATE_CW, "Retry");
            private final Button cancel = iconButton(Feather.X, "Cancel");
            private final Button details = iconButton(Feather.INFO, "What happened");
            private final HBox box = new HBox(4, pause, resume, retry, cancel, details);

            {
                box.getStyleClass().add(Styles.ROW_ACTIONS);
                box.setAlignment(Pos.CENTER_LEFT);
                pause.setOnAction(e -> model.pause(getItem()));
                resume.setOnAction(e -> model.resume(getItem()));
                retry.setOnAction(e -> model.resume(getItem()));
                cancel.setOnAction(e -> model.cancel(getItem()));
                details.setOnAction(e -> explain.accept(getItem()));
            }

            @Override
            protected void updateItem(TransferRow row, boolean empty) {
                super.updateItem(row, empty);
                if (empty || row == null) {
                    setGraphic(null);
                    return;
                }
                // The state table says which actions a state allows; the engine refuses the rest.
                bindVisible(pause, row, Action.PAUSE);
                bindVisible(resume, row, Action.RESUME);
                bindVisible(retry, row, Action.RETRY);
                bindVisible(cancel, row, Action.CANCEL);
                details.visibleProperty().bind(Bindings.createBooleanBinding(() -> hasProblem(row)
                        && (row.stateProperty().get() == TransferState.FAILED || row.stateProperty().get() == TransferState.PAUSED),
                        row.reasonProperty(), row.stateProperty()));
                details.managedProperty().bind(details.visibleProperty());
                setGraphic(box);
            }
        });
        return column;
    }

    private static void bindVisible(Button button, TransferRow row, Action action) {
        button.visibleProperty().bind(Bindings.createBooleanBinding(() -> row.allows(action), row.stateProperty()));
        button.managedProperty().bind(button.visibleProperty());
    }

    private static Button iconButton(Feather icon, String label) {
        Button button = new Button(null, new FontIcon(icon));
        button.getStyleClass().addAll("button-icon", "flat");
        button.setTooltip(new Tooltip(label));
        button.setAccessibleText(label);
        return button;
    }
}
