package io.skylift.ui.share;

import io.skylift.engine.Share;
import io.skylift.ui.Styles;
import io.skylift.ui.share.ShareDialogModel.Step;
import java.time.Duration;
import javafx.beans.binding.BooleanBinding;
import javafx.event.ActionEvent;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The Share… dialog: how long the link works, Create link, then the link in a field to copy and
 * when it expires; a refusal in the service's words. Builds nodes and binds; {@link ShareDialogModel}
 * does the rest.
 */
public final class ShareDialog extends Dialog<Share> {

    private static final ButtonType CREATE = new ButtonType("Create link", ButtonBar.ButtonData.OK_DONE);

    public ShareDialog(Window owner, ShareDialogModel model) {
        initOwner(owner);
        if (owner != null && owner.getScene() != null) {
            getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        setTitle("Skylift - Share");
        setHeaderText(model.folder() ? "Share the folder \"" + model.name() + "\"" : "Share \"" + model.name() + "\"");
        setGraphic(new FontIcon(Feather.SHARE_2));

        Label about = new Label(model.folder()
                ? "Anyone with the link can open a page in a browser and download the folder's files, including files added"
                + " to it later, until the link expires or you revoke it."
                : "Anyone with the link can open a page in a browser and download the file, until the link expires or you revoke it.");
        about.setWrapText(true);
        about.setMinHeight(Region.USE_PREF_SIZE); // wrapped whole, not cut to one line
        about.getStyleClass().add(Styles.MUTED);

        Label worksFor = new Label("The link works for");
        HBox expiries = expiryChoice(model);
        worksFor.setLabelFor(expiries);
        HBox choose = new HBox(12, worksFor, expiries);
        choose.setAlignment(Pos.CENTER_LEFT);

        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(18, 18);
        Label creating = new Label("Creating the link…", busy);
        creating.setId("share-creating");
        showOnly(creating, model.stepProperty().isEqualTo(Step.CREATING));

        Label refusal = new Label();
        refusal.setId("share-error");
        refusal.setWrapText(true);
        refusal.setMinHeight(Region.USE_PREF_SIZE);
        refusal.getStyleClass().add(Styles.ERROR_TEXT);
        refusal.setGraphic(new FontIcon(Feather.ALERT_TRIANGLE));
        refusal.textProperty().bind(model.refusalProperty());
        showOnly(refusal, model.refusalProperty().isNotNull());

        VBox content = new VBox(14, about, choose, creating, refusal, linkBox(model));
        content.setPrefWidth(680);
        getDialogPane().setContent(content);

        getDialogPane().getButtonTypes().setAll(CREATE, ButtonType.CANCEL);
        Button create = (Button) getDialogPane().lookupButton(CREATE);
        create.setGraphic(new FontIcon(Feather.LINK));
        create.disableProperty().bind(model.stepProperty().isEqualTo(Step.CREATING));
        // A link asked for is made even if the dialog went: keep it open until the link can be shown.
        getDialogPane().lookupButton(ButtonType.CANCEL).disableProperty().bind(model.stepProperty().isEqualTo(Step.CREATING));
        // The dialog stays open to show the link: Create link asks, it does not close.
        create.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume();
            model.create();
        });
        model.stepProperty().addListener((seen, was, now) -> {
            if (now == Step.CREATED) {
                getDialogPane().getButtonTypes().setAll(ButtonType.CLOSE);
            }
            // The link or a refusal appeared: grow the window to show it whole.
            if (getDialogPane().getScene() != null) {
                getDialogPane().getScene().getWindow().sizeToScene();
            }
        });
        setResultConverter(button -> model.shareProperty().get());
    }

    // Three choices side by side, one always chosen: a week unless the person picks another.
    private static HBox expiryChoice(ShareDialogModel model) {
        ToggleGroup group = new ToggleGroup();
        HBox choice = new HBox();
        choice.setAccessibleText("How long the link works");
        int last = ShareDialogModel.EXPIRIES.size() - 1;
        for (int i = 0; i <= last; i++) {
            Duration expiry = ShareDialogModel.EXPIRIES.get(i);
            long days = expiry.toDays();
            ToggleButton button = new ToggleButton(days == 1 ? "1 day" : days + " days");
            button.setId("expiry-" + days + "d");
            button.setUserData(expiry);
            button.setToggleGroup(group);
            button.getStyleClass().add(i == 0 ? atlantafx.base.theme.Styles.LEFT_PILL
                    : i == last ? atlantafx.base.theme.Styles.RIGHT_PILL : atlantafx.base.theme.Styles.CENTER_PILL);
            button.setSelected(expiry.equals(model.expiryProperty().get()));
            choice.getChildren().add(button);
        }
        group.selectedToggleProperty().addListener((seen, was, now) -> {
            if (now == null) {
                group.selectToggle(was); // a second click on the chosen one keeps it chosen
            } else {
                model.expiryProperty().set((Duration) now.getUserData());
            }
        });
        choice.disableProperty().bind(model.stepProperty().isNotEqualTo(Step.CHOOSING));
        return choice;
    }

    private static VBox linkBox(ShareDialogModel model) {
        TextField url = new TextField();
        url.setId("share-url");
        url.setEditable(false);
        url.setAccessibleText("Share link");
        HBox.setHgrow(url, Priority.ALWAYS);
        Button copy = new Button("Copy link", new FontIcon(Feather.COPY));
        copy.setId("copy-link");
        copy.getStyleClass().add("accent");
        copy.setOnAction(e -> {
            SharesView.copy(model.shareProperty().get());
            copy.setText("Copied");
            copy.setGraphic(new FontIcon(Feather.CHECK));
        });
        HBox field = new HBox(8, url, copy);
        field.setAlignment(Pos.CENTER_LEFT);
        Label expires = new Label();
        expires.setId("share-expires");
        expires.setGraphic(new FontIcon(Feather.CLOCK));
        Label revoke = new Label("The Shares tab lists your links; revoke one there to stop it working at once.");
        revoke.setWrapText(true);
        revoke.setMinHeight(Region.USE_PREF_SIZE);
        revoke.getStyleClass().add(Styles.MUTED);
        model.shareProperty().addListener((seen, was, made) -> {
            url.setText(made == null ? "" : made.url());
            expires.setText(made == null ? "" : "Expires " + SharesView.when(made.expiresAt()));
            if (made != null) {
                url.requestFocus();
                url.selectAll();
            }
        });
        VBox box = new VBox(8, field, expires, revoke);
        showOnly(box, model.stepProperty().isEqualTo(Step.CREATED));
        return box;
    }

    private static void showOnly(Node node, BooleanBinding when) {
        node.visibleProperty().bind(when);
        node.managedProperty().bind(when);
    }
}
