package io.skylift.ui.connect;

import io.skylift.ui.Styles;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Separator;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** The first screen: connect to an organisation, or try the local sandbox. */
public final class ConnectView extends StackPane {

    public ConnectView(ConnectViewModel model) {
        FontIcon logo = new FontIcon(Feather.UPLOAD_CLOUD);
        logo.setIconSize(48);
        logo.getStyleClass().add("logo");
        Label title = new Label("Welcome to Skylift");
        title.getStyleClass().add("title-2");
        Label intro = new Label("Send large photo sets and archives straight to your organisation's storage.");
        intro.setWrapText(true);
        intro.setMinHeight(Region.USE_PREF_SIZE);
        intro.getStyleClass().add(Styles.MUTED);

        Label urlLabel = new Label("Skylift address");
        TextField url = new TextField();
        url.setId("api-url");
        url.setPromptText("https://skylift.example.com");
        url.textProperty().bindBidirectional(model.apiUrlProperty());
        urlLabel.setLabelFor(url);
        Label tokenLabel = new Label("Sign-in token (only if you were given one)");
        PasswordField token = new PasswordField();
        token.setId("token");
        token.textProperty().bindBidirectional(model.tokenProperty());
        tokenLabel.setLabelFor(token);

        Button connect = new Button("Sign in");
        connect.setId("connect");
        connect.setDefaultButton(true);
        connect.getStyleClass().add("accent");
        connect.setMaxWidth(Double.MAX_VALUE);
        connect.setOnAction(e -> model.connect());

        Button sandbox = new Button("Try the local sandbox", new FontIcon(Feather.PLAY_CIRCLE));
        sandbox.setId("try-sandbox");
        sandbox.setMaxWidth(Double.MAX_VALUE);
        sandbox.setOnAction(e -> model.trySandbox());
        Label sandboxHint = new Label("No account needed: a private storage server runs on this computer.");
        sandboxHint.setWrapText(true);
        sandboxHint.getStyleClass().add(Styles.MUTED);

        TitledPane direct = directPane(model);

        Label error = new Label();
        error.setId("connect-error");
        error.setWrapText(true);
        error.getStyleClass().add(Styles.ERROR_TEXT);
        error.textProperty().bind(model.errorProperty());
        error.visibleProperty().bind(model.errorProperty().isNotNull());
        error.managedProperty().bind(error.visibleProperty());
        TextArea details = new TextArea();
        details.setEditable(false);
        details.setPrefRowCount(5);
        details.setAccessibleText("Error details to copy for support");
        details.textProperty().bind(model.errorDetailsProperty());
        details.setVisible(false);
        details.managedProperty().bind(details.visibleProperty());
        Hyperlink showDetails = new Hyperlink("Details for support");
        showDetails.visibleProperty().bind(model.errorDetailsProperty().isNotNull());
        showDetails.managedProperty().bind(showDetails.visibleProperty());
        showDetails.setOnAction(e -> details.setVisible(!details.isVisible()));

        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(22, 22);
        busy.visibleProperty().bind(model.busyProperty());
        Label busyText = new Label();
        busyText.textProperty().bind(model.busyTextProperty());
        busyText.visibleProperty().bind(model.busyProperty());
        HBox busyRow = new HBox(8, busy, busyText);
        busyRow.setAlignment(Pos.CENTER_LEFT);
        busyRow.visibleProperty().bind(model.busyProperty());
        busyRow.managedProperty().bind(busyRow.visibleProperty());

        Separator beforeSandbox = new Separator();
        // One way in at a time fits the window: the sandbox steps aside while the AWS fields are open.
        for (javafx.scene.Node node : new javafx.scene.Node[] {beforeSandbox, sandbox, sandboxHint}) {
            node.visibleProperty().bind(direct.expandedProperty().not().and(new SimpleBooleanProperty(model.sandboxOffered())));
            node.managedProperty().bind(node.visibleProperty());
        }
        VBox card = new VBox(10, logo, title, intro, new Separator(), urlLabel, url, tokenLabel, token, connect, busyRow,
                error, showDetails, details, direct, beforeSandbox, sandbox, sandboxHint);
        card.getStyleClass().add(Styles.CARD);
        card.setMaxWidth(460);
        card.setMaxHeight(USE_PREF_SIZE);
        card.setPadding(new Insets(28));
        url.disableProperty().bind(model.busyProperty());
        token.disableProperty().bind(model.busyProperty());
        connect.disableProperty().bind(model.busyProperty());
        sandbox.disableProperty().bind(model.busyProperty());
        direct.disableProperty().bind(model.busyProperty());
        getChildren().add(card);
        setPadding(new Insets(24));
    }

    // For people inside the AWS account: a bucket and their own credentials instead of a Skylift address.
    private static TitledPane directPane(ConnectViewModel model) {
        GridPane fields = new GridPane(10, 8);
        row(fields, 0, "Bucket", field("direct-bucket", "studio-archive", model.bucketProperty()));
        row(fields, 1, "AWS profile", field("direct-profile", "default credentials", model.profileProperty()));
        row(fields, 2, "Region", field("direct-region", "the profile's", model.regionProperty()));
        row(fields, 3, "S3 server", field("direct-endpoint", "AWS, or an S3-compatible server's URL", model.endpointProperty()));
        Button connect = new Button("Connect with AWS credentials", new FontIcon(Feather.KEY));
        connect.setId("connect-direct");
        connect.setMaxWidth(Double.MAX_VALUE);
        connect.setOnAction(e -> model.connectDirect());
        Label hint = new Label("Straight to the bucket, without the Skylift service.");
        hint.setWrapText(true);
        hint.getStyleClass().add(Styles.MUTED);
        TitledPane pane = new TitledPane("Connect with AWS credentials", new VBox(10, fields, connect, hint));
        pane.setId("direct-pane");
        pane.getStyleClass().add("connect-direct");
        // Open when the fields hold the bucket of an earlier direct connection.
        pane.setExpanded(!model.bucketProperty().get().isBlank());
        // Opened at once: the fields are there the moment the title is clicked or a key pressed.
        pane.setAnimated(false);
        return pane;
    }

    private static TextField field(String id, String prompt, javafx.beans.property.StringProperty value) {
        TextField field = new TextField();
        field.setId(id);
        field.setPromptText(prompt);
        field.textProperty().bindBidirectional(value);
        GridPane.setHgrow(field, Priority.ALWAYS);
        return field;
    }

    private static void row(GridPane grid, int row, String text, TextField field) {
        Label label = new Label(text);
        label.setLabelFor(field);
        label.setMinWidth(Region.USE_PREF_SIZE);
        grid.addRow(row, label, field);
    }
}
