package io.skylift.ui.connect;

import io.skylift.ui.Background;
import io.skylift.ui.ErrorReport;
import io.skylift.ui.Session;
import io.skylift.ui.settings.AppSettings;
import java.nio.file.Path;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** Signing in: an organisation's API URL and token, or the local sandbox. JavaFX thread only. */
public final class ConnectViewModel {

    private final Background background;
    private final Path dataDir;
    private final AppSettings settings;
    private final Consumer<Session> connected;
    private final StringProperty apiUrl = new SimpleStringProperty("");
    private final StringProperty token = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final StringProperty error = new SimpleStringProperty();
    private final StringProperty errorDetails = new SimpleStringProperty();

    public ConnectViewModel(Background background, Path dataDir, AppSettings settings, Consumer<Session> connected) {
        this.background = background;
        this.dataDir = dataDir;
        this.settings = settings;
        this.connected = connected;
        if (settings.apiUrl() != null && "api".equals(settings.connection())) {
            apiUrl.set(settings.apiUrl());
        } else if (System.getProperty("skylift.api") != null) {
            // An organisation's installer presets its address: people only sign in.
            apiUrl.set(System.getProperty("skylift.api"));
        }
    }

    public StringProperty apiUrlProperty() {
        return apiUrl;
    }

    public StringProperty tokenProperty() {
        return token;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    /** What went wrong, in plain words; null when nothing did. */
    public ReadOnlyStringProperty errorProperty() {
        return error;
    }

    public ReadOnlyStringProperty errorDetailsProperty() {
        return errorDetails;
    }

    public void connect() {
        if (apiUrl.get() == null || apiUrl.get().isBlank()) {
            error.set("Enter your organisation's Skylift address, for example https://skylift.example.com");
            return;
        }
        if (token.get() == null || token.get().isBlank()) {
            error.set("Enter the sign-in token your administrator gave you.");
            return;
        }
        String url = apiUrl.get();
        String bearer = token.get();
        start(() -> Session.api(url, bearer, settings, dataDir));
    }

    public void trySandbox() {
        start(() -> Session.sandbox(settings, dataDir));
    }

    private void start(java.util.concurrent.Callable<Session> work) {
        busy.set(true);
        error.set(null);
        errorDetails.set(null);
        background.run(work, session -> {
            busy.set(false);
            connected.accept(session);
        }, failure -> {
            busy.set(false);
            error.set(ErrorReport.headline(failure) + " " + ErrorReport.advice(failure));
            errorDetails.set(ErrorReport.details(failure));
        });
    }
}
