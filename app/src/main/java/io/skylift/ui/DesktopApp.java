package io.skylift.ui;

import io.skylift.sandbox.SandboxPresence;
import io.skylift.ui.connect.ConnectView;
import io.skylift.ui.connect.ConnectViewModel;
import io.skylift.ui.settings.AppSettings;
import io.skylift.ui.settings.SettingsStore;
import java.nio.file.Path;
import java.util.Objects;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * The desktop window. Opens on the connect screen the first time, then on the last connection
 * (the choice is remembered). Started by {@link Gui}; the window title always starts with "Skylift".
 */
public final class DesktopApp extends Application {

    static final String SANDBOX_FLAG = "--sandbox";

    private final Background background = new Background();
    /** The browser sign-in opens: the system's, unless a test stands in for it. */
    static io.skylift.signin.Browser browser = io.skylift.signin.Browser.system();
    private Stage stage;
    private SettingsStore store;
    private AppSettings settings;
    private MainWindow main;

    @Override
    public void start(Stage primary) {
        this.stage = primary;
        Path dataDir = Session.dataDir();
        store = new SettingsStore(dataDir);
        settings = store.load();
        Theme.apply(settings.theme());
        stage.setTitle("Skylift");
        stage.getIcons().add(new javafx.scene.image.Image(Objects.requireNonNull(DesktopApp.class.getResource("skylift.png")).toExternalForm()));
        stage.setMinWidth(880);
        stage.setMinHeight(560);
        Scene scene = new Scene(new javafx.scene.layout.StackPane(), 1280, 800);
        scene.getStylesheets().add(Objects.requireNonNull(DesktopApp.class.getResource("skylift.css")).toExternalForm());
        stage.setScene(scene);
        ConnectViewModel connect = showSignIn();
        stage.setOnCloseRequest(e -> {
            if (main != null && !main.confirmClose()) {
                e.consume();
            }
        });
        stage.show();
        // A sandbox remembered from a developer build is not there after installing: the sign-in screen, then.
        boolean sandbox = getParameters().getRaw().contains(SANDBOX_FLAG)
                || "sandbox".equals(settings.connection()) && connect.sandboxOffered();
        if (sandbox) {
            connect.trySandbox();
        } else if ("direct".equals(settings.connection()) && settings.direct() != null) {
            // The bucket from last time, with whatever credentials the profile gives today.
            connect.connectDirect();
        } else if ("api".equals(settings.connection()) && settings.apiUrl() != null) {
            // The last connection again: with its token, or with the browser sign-in kept from last time.
            if (settings.token() != null) {
                connect.tokenProperty().set(settings.token());
                connect.connect();
            } else {
                connect.resume(settings.apiUrl());
            }
        }
    }

    /** The sign-in screen, as the window's content. */
    private ConnectViewModel showSignIn() {
        main = null;
        settings = store.load();
        ConnectViewModel connect = new ConnectViewModel(background, Session.dataDir(), settings, browser, SandboxPresence.inThisBuild(), this::signedIn);
        stage.getScene().setRoot(new ConnectView(connect));
        stage.setTitle("Skylift");
        return connect;
    }

    private void signedIn(Session session) {
        var engineSettings = session.engine().settings();
        if (engineSettings.direct() != null) {
            settings = settings.withDirect(engineSettings.direct());
            store.save(settings);
        } else {
            String kind = session.isSandbox() ? "sandbox" : "api";
            // A browser sign-in is kept in the credential store, never in settings; a pasted token is kept here.
            boolean pasted = !session.isSandbox() && !(engineSettings.token() instanceof io.skylift.signin.TokenSource);
            settings = settings.withConnection(kind, session.isSandbox() ? null : engineSettings.api().toString(),
                    pasted ? engineSettings.token().get() : null);
            store.save(settings);
        }
        main = new MainWindow(stage, new MainViewModel(session, background, store, settings, this::showSignIn));
        stage.getScene().setRoot(main);
        stage.setTitle("Skylift - " + session.label());
    }

    /** The signed-in window, or null before sign-in (for tests and screenshots). */
    MainWindow main() {
        return main;
    }

    // Also when the application ends without the window's close request (the desktop logging out):
    // transfers still pause and record where they are.
    @Override
    public void stop() {
        if (main != null) {
            main.shutDown();
        }
        background.close();
    }
}
