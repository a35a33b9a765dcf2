package io.skylift.ui;

import io.skylift.engine.DownloadPreview;
import io.skylift.engine.RemoteEntry;
import io.skylift.ui.browser.BrowserView;
import io.skylift.ui.browser.BrowserViewModel;
import io.skylift.ui.MainViewModel.Clash;
import io.skylift.ui.queue.QueueView;
import io.skylift.ui.queue.QueueViewModel;
import io.skylift.ui.settings.SettingsView;
import io.skylift.ui.share.SharesView;
import io.skylift.ui.share.SharesViewModel;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.animation.PauseTransition;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.input.DragEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The signed-in window: the transfer queue, the remote browser and the share links in tabs, a status bar with the
 * overall progress, and the header with who is signed in and the settings. Builds nodes and binds;
 * the work happens in the view models and the engine.
 */
public final class MainWindow extends BorderPane {

    private final Stage stage;
    private final MainViewModel model;
    private final QueueViewModel queue;
    private final Label banner = new Label();
    private String titleBeforeNotice; // while the task bar shows a notice instead
    private final TabPane tabs = new TabPane();

    public MainWindow(Stage stage, MainViewModel model) {
        this.stage = stage;
        this.model = model;
        this.queue = model.queue();
        getStyleClass().add(Styles.APP);

        setTop(header());
        tabs.getTabs().setAll(transfersTab(), filesTab());
        // Links are made by the Skylift API: a window connected straight to a bucket has none.
        if (model.browser().managed()) {
            tabs.getTabs().add(sharesTab());
        }
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        bindPage();
        StackPane center = new StackPane(tabs, bannerLayer());
        setCenter(center);
        setBottom(statusBar());
        acceptDrops();
        keyboard();
        queue.onBatchDone(this::notifyBatch);
        model.askAboutClashes(this::askAboutClashes);
        model.askBeforeLargeDownloads(this::confirmLargeDownload);
        model.onProblem((what, e) -> ErrorReport.show(stage, what, e));
        model.open();
    }

    public QueueViewModel queue() {
        return queue;
    }

    Session session() {
        return model.session();
    }

    public BrowserViewModel browser() {
        return model.browser();
    }

    MainViewModel model() {
        return model;
    }

    // ----- layout -----

    private HBox header() {
        FontIcon logo = new FontIcon(Feather.UPLOAD_CLOUD);
        logo.setIconSize(22);
        logo.getStyleClass().add("logo");
        Label brand = new Label("Skylift");
        brand.getStyleClass().add(Styles.BRAND);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Session session = model.session();
        Label account = new Label(session.account().name() + " · " + session.label());
        account.setId("account");
        account.getStyleClass().add(Styles.ACCOUNT);
        account.setGraphic(new FontIcon(session.isSandbox() ? Feather.HARD_DRIVE : Feather.CLOUD));
        Button settingsButton = new Button(null, new FontIcon(Feather.SETTINGS));
        settingsButton.setId("settings");
        settingsButton.getStyleClass().addAll("button-icon", "flat");
        settingsButton.setAccessibleText("Settings");
        settingsButton.setTooltip(new javafx.scene.control.Tooltip("Settings (Ctrl+,)"));
        settingsButton.setOnAction(e -> openSettings());
        Button signOut = new Button(null, new FontIcon(Feather.LOG_OUT));
        signOut.setId("sign-out");
        signOut.getStyleClass().addAll("button-icon", "flat");
        signOut.setAccessibleText("Sign out");
        signOut.setTooltip(new javafx.scene.control.Tooltip("Sign out"));
        signOut.setOnAction(e -> signOut());
        HBox header = new HBox(10, logo, brand, spacer, account, settingsButton, signOut);
        header.getStyleClass().add(Styles.HEADER);
        header.setAlignment(Pos.CENTER_LEFT);
        return header;
    }

    private Tab transfersTab() {
        Button addFiles = new Button("Add files…", new FontIcon(Feather.FILE_PLUS));
        addFiles.setId("add-files");
        addFiles.getStyleClass().add("accent");
        addFiles.setOnAction(e -> {
            List<File> files = new FileChooser().showOpenMultipleDialog(stage);
            if (files != null) {
                upload(files.stream().map(File::toPath).toList());
            }
        });
        Button addFolder = new Button("Add folder…", new FontIcon(Feather.FOLDER_PLUS));
        addFolder.setOnAction(e -> {
            File folder = new DirectoryChooser().showDialog(stage);
            if (folder != null) {
                upload(List.of(folder.toPath()));
            }
        });
        Label to = new Label("Upload to folder");
        TextField uploadFolder = new TextField();
        uploadFolder.textProperty().bindBidirectional(model.uploadFolderProperty());
        uploadFolder.setId("upload-folder");
        uploadFolder.setPromptText("e.g. 2026-11-22 wedding (empty: your top folder)");
        uploadFolder.setPrefColumnCount(26);
        to.setLabelFor(uploadFolder);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Button clear = new Button("Clear finished");
        clear.setOnAction(e -> queue.clearFinished());
        HBox bar = new HBox(8, addFiles, addFolder, to, uploadFolder, spacer, clear);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(0, 0, 10, 0));
        bar.getStyleClass().add(Styles.TOOLBAR);
        QueueView view = new QueueView(queue, row -> ErrorReport.show(stage, row));
        VBox.setVgrow(view, Priority.ALWAYS);
        VBox content = new VBox(bar, view);
        content.setPadding(new Insets(14));
        Tab tab = new Tab("Transfers", content);
        tab.setGraphic(new FontIcon(Feather.ACTIVITY));
        return tab;
    }

    private Tab filesTab() {
        BrowserViewModel browser = model.browser();
        Tab tab = new Tab("Files", new BrowserView(browser, this::download));
        tab.setGraphic(new FontIcon(Feather.HARD_DRIVE));
        tab.setId("files-tab");
        // What is in storage changes with every upload: look again whenever the tab is shown.
        tab.setOnSelectionChanged(e -> {
            // A bucket's top is the empty prefix: a folder is open whenever there is a place to read.
            if (tab.isSelected() && !browser.roots().isEmpty()) {
                browser.refresh();
            }
        });
        return tab;
    }

    private Tab sharesTab() {
        SharesViewModel shares = model.browser().shares();
        shares.onProblem((what, e) -> ErrorReport.show(stage, what, e));
        Tab tab = new Tab("Shares", new SharesView(shares));
        tab.setGraphic(new FontIcon(Feather.SHARE_2));
        tab.setId("shares-tab");
        // Listed whenever shown: links made here join the list as they are made, and expired ones leave it.
        tab.setOnSelectionChanged(e -> {
            if (tab.isSelected() && !shares.loadingProperty().get()) {
                shares.refresh();
            }
        });
        return tab;
    }

    private HBox statusBar() {
        ProgressBar overall = new ProgressBar();
        overall.setId("overall");
        overall.setPrefWidth(260);
        overall.setAccessibleText("Overall progress");
        overall.progressProperty().bind(queue.overallProperty());
        overall.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(queue.entries()));
        overall.managedProperty().bind(overall.visibleProperty());
        Label summary = new Label();
        summary.setId("summary");
        summary.textProperty().bind(queue.summaryProperty());
        Label connections = new Label();
        connections.setId("connection-count");
        connections.getStyleClass().add(Styles.MUTED);
        // Empty while nothing runs, rather than hidden: the bar's layout does not change with it.
        connections.textProperty().bind(javafx.beans.binding.Bindings.when(queue.activeProperty().greaterThan(0))
                .then(javafx.beans.binding.Bindings.format("%d conn", model.connectionsProperty())).otherwise(""));
        connections.setTooltip(new javafx.scene.control.Tooltip("Connections carrying file bytes now. Skylift adds one while that"
                + " speeds the transfers up, and halves them when storage asks it to slow down; the most is set in Settings."));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Button resumeAll = new Button("Resume all", new FontIcon(Feather.PLAY));
        resumeAll.setId("resume-all");
        resumeAll.visibleProperty().bind(queue.pausedProperty().greaterThan(0));
        resumeAll.managedProperty().bind(resumeAll.visibleProperty());
        resumeAll.setOnAction(e -> queue.resumeAll());
        Button pauseAll = new Button("Pause all", new FontIcon(Feather.PAUSE));
        pauseAll.visibleProperty().bind(queue.activeProperty().greaterThan(0));
        pauseAll.managedProperty().bind(pauseAll.visibleProperty());
        pauseAll.setOnAction(e -> queue.pauseAll());
        HBox bar = new HBox(12, overall, summary, connections, spacer, pauseAll, resumeAll);
        bar.getStyleClass().add(Styles.STATUS_BAR);
        bar.setAlignment(Pos.CENTER_LEFT);
        return bar;
    }

    private StackPane bannerLayer() {
        banner.setId("banner");
        banner.getStyleClass().add(Styles.BANNER);
        banner.setVisible(false);
        banner.setGraphic(new FontIcon(Feather.CHECK_CIRCLE));
        StackPane layer = new StackPane(banner);
        layer.setPickOnBounds(false);
        layer.setMouseTransparent(true);
        StackPane.setAlignment(banner, Pos.BOTTOM_RIGHT);
        layer.setPadding(new Insets(16));
        return layer;
    }

    // ----- behaviour -----

    private void acceptDrops() {
        setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
                if (!getStyleClass().contains(Styles.DROP_ACTIVE)) {
                    getStyleClass().add(Styles.DROP_ACTIVE);
                }
            }
            e.consume();
        });
        setOnDragExited(e -> getStyleClass().remove(Styles.DROP_ACTIVE));
        setOnDragDropped((DragEvent e) -> {
            boolean ok = e.getDragboard().hasFiles();
            if (ok) {
                upload(e.getDragboard().getFiles().stream().map(File::toPath).toList());
            }
            e.setDropCompleted(ok);
            e.consume();
        });
    }

    private void keyboard() {
        stage.getScene().getAccelerators().put(new KeyCodeCombination(KeyCode.COMMA, KeyCombination.SHORTCUT_DOWN), this::openSettings);
        stage.getScene().getAccelerators().put(new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN),
                () -> ((Button) lookup("#add-files")).fire());
        stage.getScene().getAccelerators().put(new KeyCodeCombination(KeyCode.DIGIT1, KeyCombination.SHORTCUT_DOWN),
                () -> model.pageProperty().set(MainViewModel.Page.TRANSFERS));
        stage.getScene().getAccelerators().put(new KeyCodeCombination(KeyCode.DIGIT2, KeyCombination.SHORTCUT_DOWN),
                () -> model.pageProperty().set(MainViewModel.Page.FILES));
        if (tabs.getTabs().size() > MainViewModel.Page.SHARES.ordinal()) {
            stage.getScene().getAccelerators().put(new KeyCodeCombination(KeyCode.DIGIT3, KeyCombination.SHORTCUT_DOWN),
                    () -> model.pageProperty().set(MainViewModel.Page.SHARES));
        }
    }

    /** Uploads dropped or picked files and folders into the chosen remote folder, asking once about name clashes. */
    public void upload(List<Path> paths) {
        model.upload(paths);
    }

    // The tabs are in the order of the pages (a direct connection has no Shares tab, and so never shows that page).
    private void bindPage() {
        tabs.getSelectionModel().select(model.pageProperty().get().ordinal());
        model.pageProperty().addListener((seen, was, now) -> {
            if (now.ordinal() < tabs.getTabs().size()) {
                tabs.getSelectionModel().select(now.ordinal());
            }
        });
        tabs.getSelectionModel().selectedIndexProperty().addListener((seen, was, now) ->
                model.pageProperty().set(MainViewModel.Page.values()[now.intValue()]));
    }

    private Optional<Clash> askAboutClashes(List<Path> clashing) {
        ButtonType skip = new ButtonType("Skip them", ButtonBar.ButtonData.NO);
        ButtonType keepBoth = new ButtonType("Keep both", ButtonBar.ButtonData.YES);
        ButtonType replace = new ButtonType("Replace", ButtonBar.ButtonData.OTHER);
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, "", skip, keepBoth, replace, ButtonType.CANCEL);
        alert.initOwner(stage);
        alert.setTitle("Skylift - Name already taken");
        alert.setHeaderText(clashing.size() == 1
                ? "\"" + clashing.getFirst().getFileName() + "\" is already in storage, in the folder it would go to."
                : clashing.size() + " of these files are already in storage, under the same names in the same folders.");
        alert.setContentText("Keep both adds a number to the new file's name. Files in storage are never replaced.");
        alert.getDialogPane().lookupButton(replace).setDisable(true);
        ButtonType answer = alert.showAndWait().orElse(ButtonType.CANCEL);
        return answer == skip ? Optional.of(Clash.SKIP) : answer == keepBoth ? Optional.of(Clash.KEEP_BOTH) : Optional.empty();
    }

    private boolean confirmLargeDownload(DownloadPreview asked) {
        ButtonType download = new ButtonType("Download", ButtonBar.ButtonData.OK_DONE);
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, "", download, ButtonType.CANCEL);
        alert.initOwner(stage);
        alert.setTitle("Skylift - A large download");
        alert.setHeaderText(String.format(java.util.Locale.ROOT, "Download %,d files (%s)?", asked.files(), Format.bytes(asked.bytes())));
        alert.setContentText("Make sure the disk you chose has room for it. It can be paused and resumed from the queue."
                + (asked.archived() == 0 ? "" : String.format(java.util.Locale.ROOT,
                "\n\n%,d of them are archived: they are not downloaded until they have been restored.", asked.archived())));
        return alert.showAndWait().orElse(ButtonType.CANCEL) == download;
    }

    private void download(List<RemoteEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Download to…");
        File start = new File(model.settingsProperty().get().downloadFolder());
        if (start.isDirectory()) {
            chooser.setInitialDirectory(start);
        }
        File target = chooser.showDialog(stage);
        if (target != null) {
            downloadTo(entries, target.toPath());
        }
    }

    /** Starts downloads of {@code entries} into {@code folder}; an existing file is kept and the new one renamed. */
    public void downloadTo(List<RemoteEntry> entries, Path folder) {
        model.downloadTo(entries, folder);
    }

    private void openSettings() {
        new SettingsView(stage, model.settingsProperty().get()).showAndWait().ifPresent(updated -> {
            model.changeSettings(updated);
            Theme.apply(updated.theme());
        });
    }

    /** Pauses what runs (nothing is lost), ends the browser sign-in and forgets it here. */
    private void signOut() {
        if (confirmClose()) {
            model.signOut();
        }
    }

    private void notifyBatch(QueueViewModel.BatchDone done) {
        banner.setText(done.message());
        banner.setGraphic(new FontIcon(done.needsAttention() ? Feather.ALERT_TRIANGLE : Feather.CHECK_CIRCLE));
        banner.setVisible(true);
        PauseTransition hide = new PauseTransition(Duration.seconds(6));
        hide.setOnFinished(e -> banner.setVisible(false));
        hide.play();
        if (!stage.isFocused()) {
            // Shown in the task bar without taking the focus from whatever the person is doing now;
            // the usual title comes back when they return to the window.
            if (titleBeforeNotice == null) {
                titleBeforeNotice = stage.getTitle();
                stage.focusedProperty().addListener(new javafx.beans.value.ChangeListener<>() {
                    @Override
                    public void changed(javafx.beans.value.ObservableValue<? extends Boolean> seen, Boolean was, Boolean focused) {
                        if (focused) {
                            stage.setTitle(titleBeforeNotice);
                            titleBeforeNotice = null;
                            seen.removeListener(this);
                        }
                    }
                });
            }
            stage.setTitle("Skylift - " + done.message());
        }
    }

    /**
     * Asked when the window is closing: with transfers running, ask; whatever the answer, nothing is
     * lost (transfers are paused and resume next time). Returns false to keep the window open.
     */
    public boolean confirmClose() {
        if (queue.activeProperty().get() > 0) {
            ButtonType quit = new ButtonType("Pause and quit", ButtonBar.ButtonData.OK_DONE);
            ButtonType stay = new ButtonType("Keep transferring", ButtonBar.ButtonData.CANCEL_CLOSE);
            Alert alert = new Alert(Alert.AlertType.CONFIRMATION, "", quit, stay);
            alert.initOwner(stage);
            alert.setTitle("Skylift - Transfers are running");
            alert.setHeaderText(queue.activeProperty().get() + " transfers are still running.");
            alert.setContentText("They will be paused and can be resumed the next time you open Skylift. Nothing sent so far is lost.");
            if (alert.showAndWait().orElse(stay) != quit) {
                return false;
            }
        }
        model.shutDown();
        return true;
    }

    /** Pauses every transfer and lets go of the connection, once, whoever asks first. */
    public void shutDown() {
        model.shutDown();
    }
}
