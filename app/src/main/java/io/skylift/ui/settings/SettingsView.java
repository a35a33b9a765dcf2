package io.skylift.ui.settings;

import io.skylift.engine.EngineSettings;
import java.io.File;
import javafx.geometry.Insets;
import javafx.geometry.VPos;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Window;
import javafx.util.StringConverter;

/** The settings dialog: connections, part size, bandwidth, download folder, theme. */
public final class SettingsView extends Dialog<AppSettings> {

    static final Integer[] PART_SIZES = {0, 16, 32, 64, 128, 256};

    public SettingsView(Window owner, AppSettings current) {
        initOwner(owner);
        setTitle("Skylift - Settings");
        setHeaderText("Settings");

        Spinner<Integer> connections = new Spinner<>(1, 64, current.connections());
        connections.setId("connections");
        connections.setEditable(true);
        ChoiceBox<Integer> partSize = new ChoiceBox<>();
        partSize.setId("part-size");
        partSize.getItems().setAll(PART_SIZES);
        partSize.setValue(java.util.Arrays.asList(PART_SIZES).contains(current.partSizeMiB()) ? current.partSizeMiB() : 0);
        partSize.setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer mib) {
                return mib == null || mib == 0 ? "Automatic (16 MiB or more)" : mib + " MiB";
            }

            @Override
            public Integer fromString(String s) {
                return 0;
            }
        });
        Spinner<Integer> bandwidth = new Spinner<>(0, 10_000, current.bandwidthMBps(), 5);
        bandwidth.setId("bandwidth");
        bandwidth.setEditable(true);
        TextField folder = new TextField(current.downloadFolder());
        folder.setId("download-folder");
        HBox.setHgrow(folder, Priority.ALWAYS);
        Button browse = new Button("Choose…");
        browse.setMinWidth(Region.USE_PREF_SIZE);
        folder.setPrefColumnCount(18);
        browse.setOnAction(e -> {
            DirectoryChooser chooser = new DirectoryChooser();
            File start = new File(folder.getText());
            if (start.isDirectory()) {
                chooser.setInitialDirectory(start);
            }
            File chosen = chooser.showDialog(owner);
            if (chosen != null) {
                folder.setText(chosen.getPath());
            }
        });
        ChoiceBox<String> theme = new ChoiceBox<>();
        theme.setId("theme");
        theme.getItems().setAll("system", "light", "dark");
        theme.setValue(current.theme());
        theme.setConverter(new StringConverter<>() {
            @Override
            public String toString(String t) {
                return t == null ? "" : switch (t) {
                    case "light" -> "Light";
                    case "dark" -> "Dark";
                    default -> "Follow the system";
                };
            }

            @Override
            public String fromString(String s) {
                return s;
            }
        });

        GridPane grid = new GridPane();
        grid.setHgap(20);
        grid.setVgap(14);
        grid.setPadding(new Insets(12, 8, 8, 8));
        row(grid, 0, "Parallel connections", connections, "direct".equals(current.connection())
                ? "The most used at once, and at most " + EngineSettings.DIRECT_CONCURRENCY + " with AWS credentials (the AWS transfer manager paces itself)."
                : "The most used at once: Skylift starts with 8 and adds more while they speed transfers up.");
        row(grid, 1, "Part size", partSize, "Larger parts mean fewer requests; applies to new uploads.");
        // The AWS transfer manager paces itself: it has no limit to apply.
        row(grid, 2, "Bandwidth limit (MB/s)", bandwidth, "direct".equals(current.connection())
                ? "Not applied while connected with AWS credentials; it applies to the Skylift service."
                : "0 means no limit. Leave room for others on a shared line.");
        row(grid, 3, "Download folder", new HBox(8, folder, browse), null);
        row(grid, 4, "Theme", theme, null);
        getDialogPane().setContent(grid);
        getDialogPane().setPrefWidth(640);
        getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        setResultConverter(button -> button == ButtonType.OK
                ? current.withTuning(connections.getValue(), partSize.getValue(), bandwidth.getValue(), folder.getText(), theme.getValue())
                : null);
    }

    // Label on the left, the control with its hint beneath on the right: hints read as one line each.
    private static void row(GridPane grid, int row, String label, Region control, String hint) {
        Label name = new Label(label);
        name.setMinWidth(Region.USE_PREF_SIZE);
        name.setLabelFor(control);
        control.setPrefWidth(360);
        control.setMaxWidth(360);
        VBox field = new VBox(4, control);
        if (hint != null) {
            Label help = new Label(hint);
            help.getStyleClass().add("text-muted");
            help.setWrapText(true);
            help.setMaxWidth(360);
            help.setMinHeight(Region.USE_PREF_SIZE);
            field.getChildren().add(help);
        }
        GridPane.setValignment(name, VPos.TOP);
        name.setPadding(new Insets(5, 0, 0, 0));
        grid.add(name, 0, row);
        grid.add(field, 1, row);
    }
}
