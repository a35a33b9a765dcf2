package io.skylift.ui.share;

import io.skylift.engine.Share;
import io.skylift.ui.Styles;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.transformation.SortedList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The Shares tab: the person's live share links (name, expiry), Refresh, and for the selected one
 * Copy link and Revoke (after a question whose default is Cancel). Builds nodes and binds;
 * {@link SharesViewModel} does the rest.
 */
public final class SharesView extends BorderPane {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm", Locale.ENGLISH)
            .withZone(ZoneId.systemDefault());
    private final TableView<Share> table = new TableView<>();

    public SharesView(SharesViewModel model) {
        Label title = new Label("Links you shared that still work");
        title.getStyleClass().add(Styles.MUTED);
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(18, 18);
        busy.visibleProperty().bind(model.loadingProperty());

        Button refresh = new Button(null, new FontIcon(Feather.REFRESH_CW));
        refresh.setId("shares-refresh");
        // Named apart from the Files tab's Refresh: a screen reader (or a test) finding "Refresh" means that one.
        refresh.setAccessibleText("Refresh the shares");
        refresh.setTooltip(new javafx.scene.control.Tooltip("List the live shares again"));
        refresh.setOnAction(e -> model.refresh());
        BooleanBinding none = Bindings.isNull(table.getSelectionModel().selectedItemProperty());
        Button copy = new Button("Copy link", new FontIcon(Feather.COPY));
        copy.setId("shares-copy");
        copy.disableProperty().bind(none);
        copy.setOnAction(e -> copy(table.getSelectionModel().getSelectedItem()));
        Button revoke = new Button("Revoke", new FontIcon(Feather.SLASH));
        revoke.setId("shares-revoke");
        revoke.setTooltip(new javafx.scene.control.Tooltip("Stop the selected link working, for everyone who has it"));
        revoke.disableProperty().bind(none);
        revoke.setOnAction(e -> model.revoke(table.getSelectionModel().getSelectedItem()));
        model.askBeforeRevoking(this::confirmRevoke);

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(8, title, busy, spacer, refresh, copy, revoke);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(0, 0, 10, 0));
        bar.getStyleClass().add(Styles.TOOLBAR);

        table.setId("shares");
        table.setAccessibleText("Live share links");
        // Soonest to expire first, as listed, until a column's header sorts it otherwise.
        SortedList<Share> sorted = new SortedList<>(model.shares());
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);
        table.getSelectionModel().setSelectionMode(SelectionMode.SINGLE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().setAll(nameColumn(), expiresColumn());
        Label placeholder = new Label("No live share links. Select a file or folder in the Files tab and choose Share….");
        placeholder.getStyleClass().add(Styles.MUTED);
        table.setPlaceholder(placeholder);

        setTop(bar);
        setCenter(table);
        setPadding(new Insets(14));
    }

    public TableView<Share> table() {
        return table;
    }

    /** When a link stops working, as the window writes it: "9 Dec 2026 07:00", in this computer's time zone. */
    public static String when(Instant expiresAt) {
        return WHEN.format(expiresAt);
    }

    // Only where the person asked for it: the link is a credential to what it shares.
    static void copy(Share share) {
        if (share != null) {
            ClipboardContent content = new ClipboardContent();
            content.putString(share.url());
            Clipboard.getSystemClipboard().setContent(content);
        }
    }

    private boolean confirmRevoke(Share share) {
        ButtonType revoke = new ButtonType("Revoke", ButtonBar.ButtonData.OK_DONE);
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, "", revoke, ButtonType.CANCEL);
        alert.initOwner(getScene().getWindow());
        alert.setTitle("Skylift - Revoke");
        alert.setHeaderText("Revoke the link to \"" + shown(share) + "\"?");
        alert.setContentText("The link stops working for everyone who has it: its page and downloads answer that it was revoked."
                + " A download already under way runs to its end. The " + (share.folder() ? "folder" : "file") + " itself stays.");
        // A slip of the Enter key revokes nothing.
        ((Button) alert.getDialogPane().lookupButton(revoke)).setDefaultButton(false);
        ((Button) alert.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        return alert.showAndWait().orElse(ButtonType.CANCEL) == revoke;
    }

    // A folder as the Files tab shows it: its name without the trailing '/', with a folder icon.
    private static String shown(Share share) {
        String name = share.name();
        return share.folder() && name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }

    private static TableColumn<Share, Share> nameColumn() {
        TableColumn<Share, Share> column = new TableColumn<>("Name");
        column.setPrefWidth(560);
        column.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        column.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Share share, boolean empty) {
                super.updateItem(share, empty);
                if (empty || share == null) {
                    setText(null);
                    setGraphic(null);
                } else {
                    setText(shown(share));
                    FontIcon icon = new FontIcon(share.folder() ? Feather.FOLDER : Feather.FILE);
                    icon.getStyleClass().add(Styles.MUTED);
                    setGraphic(icon);
                }
            }
        });
        column.setComparator((a, b) -> shown(a).compareToIgnoreCase(shown(b)));
        return column;
    }

    private static TableColumn<Share, Instant> expiresColumn() {
        TableColumn<Share, Instant> column = new TableColumn<>("Expires");
        column.setPrefWidth(200);
        column.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().expiresAt()));
        column.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Instant expiresAt, boolean empty) {
                super.updateItem(expiresAt, empty);
                setText(empty || expiresAt == null ? null : when(expiresAt));
            }
        });
        return column;
    }
}
