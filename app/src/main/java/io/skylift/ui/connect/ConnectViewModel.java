package io.skylift.ui.connect;

import io.skylift.sandbox.SandboxPresence;
import io.skylift.ui.Background;
import io.skylift.ui.ErrorReport;
import io.skylift.ui.Session;
import io.skylift.signin.Browser;
import io.skylift.signin.OidcSignIn;
import io.skylift.signin.SignInConfig;
import io.skylift.signin.SignInHttp;
import io.skylift.ui.settings.AppSettings;
import java.nio.file.Path;
import java.util.function.Consumer;
import io.skylift.engine.DirectTarget;
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
    private final StringProperty bucket = new SimpleStringProperty("");
    private final StringProperty profile = new SimpleStringProperty("");
    private final StringProperty region = new SimpleStringProperty("");
    private final StringProperty endpoint = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final StringProperty error = new SimpleStringProperty();
    private final StringProperty errorDetails = new SimpleStringProperty();
    private final StringProperty busyText = new SimpleStringProperty("Connecting…");
    private final Browser browser;
    private final boolean sandboxOffered;

    /** @param sandboxOffered whether this build carries the local sandbox (installers do not) */
    public ConnectViewModel(Background background, Path dataDir, AppSettings settings, Browser browser, boolean sandboxOffered,
                            Consumer<Session> connected) {
        this.browser = browser;
        this.sandboxOffered = sandboxOffered;
        this.background = background;
        this.dataDir = dataDir;
        this.settings = settings;
        this.connected = connected;
        if (settings.direct() != null) {
            DirectTarget last = settings.direct();
            bucket.set(last.bucket());
            profile.set(last.profile() == null ? "" : last.profile());
            region.set(last.region() == null ? "" : last.region());
            endpoint.set(last.endpoint() == null ? "" : last.endpoint().toString());
        }
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

    /** With a token: signs in with it. Without: signs in through the browser, where the service offers it. */
    public void connect() {
        if (apiUrl.get() == null || apiUrl.get().isBlank()) {
            error.set("Enter your organisation's Skylift address, for example https://skylift.example.com");
            return;
        }
        String url = apiUrl.get();
        String bearer = token.get();
        if (bearer != null && !bearer.isBlank()) {
            start(() -> Session.api(url, bearer, settings, dataDir));
            return;
        }
        busyText.set("Finish signing in in your browser…");
        start(() -> {
            java.net.URI api = Session.address(url);
            var oidc = new OidcSignIn(SignInHttp.CLIENT, signInConfig(api));
            var store = io.skylift.signin.TokenStores.forThisComputer(dataDir);
            var tokens = oidc.signIn(browser, address -> { }, java.time.Duration.ofMinutes(5));
            store.save(api.toString(), tokens);
            return Session.api(api, new io.skylift.signin.TokenSource(oidc, store, api.toString(), tokens, java.time.Clock.systemUTC()),
                    settings, dataDir);
        });
    }

    /** Signs in again with a sign-in kept from last time, if there is one for {@code url}. */
    public boolean resume(String url) {
        java.net.URI api;
        try {
            api = Session.address(url);
        } catch (IllegalArgumentException e) {
            // An address remembered from before it was refused (plain http to another computer).
            error.set(ErrorReport.headline(e) + " " + ErrorReport.advice(e));
            errorDetails.set(null);
            return false;
        }
        var store = io.skylift.signin.TokenStores.forThisComputer(dataDir);
        java.util.Optional<io.skylift.signin.Tokens> kept;
        try {
            kept = store.load(api.toString());
        } catch (java.io.IOException e) {
            return false;
        }
        if (kept.isEmpty()) {
            return false;
        }
        start(() -> Session.api(api, new io.skylift.signin.TokenSource(new OidcSignIn(SignInHttp.CLIENT, signInConfig(api)), store, api.toString(),
                kept.get(), java.time.Clock.systemUTC()), settings, dataDir));
        return true;
    }

    private static SignInConfig signInConfig(java.net.URI api) throws java.io.IOException {
        SignInConfig config = SignInConfig.fetch(SignInHttp.CLIENT, api);
        if (!config.available()) {
            throw new IllegalArgumentException("This Skylift service signs in with tokens: paste the one your administrator gave you.");
        }
        return config;
    }

    public ReadOnlyStringProperty busyTextProperty() {
        return busyText;
    }

    public StringProperty bucketProperty() {
        return bucket;
    }

    public StringProperty profileProperty() {
        return profile;
    }

    public StringProperty regionProperty() {
        return region;
    }

    public StringProperty endpointProperty() {
        return endpoint;
    }

    /** Connects straight to a bucket with the AWS credentials of a profile, or the SDK's default chain. */
    public void connectDirect() {
        DirectTarget target;
        try {
            String server = endpoint.get().strip();
            target = new DirectTarget(bucket.get().strip(), profile.get().strip(), region.get().strip(),
                    server.isEmpty() ? null : java.net.URI.create(server));
        } catch (IllegalArgumentException e) {
            error.set(e.getMessage());
            errorDetails.set(null);
            return;
        }
        start(() -> Session.direct(target, settings, dataDir));
    }

    /** Whether the sign-in screen offers the local sandbox at all. */
    public boolean sandboxOffered() {
        return sandboxOffered;
    }

    public void trySandbox() {
        if (!sandboxOffered) {
            error.set(SandboxPresence.MISSING);
            errorDetails.set(null);
            return;
        }
        start(() -> Session.sandbox(settings, dataDir));
    }

    private void start(java.util.concurrent.Callable<Session> work) {
        if (!busy.get()) {
            busyText.set(busyText.get().startsWith("Finish") ? busyText.get() : "Connecting…");
        }
        busy.set(true);
        error.set(null);
        errorDetails.set(null);
        background.run(work, session -> {
            busy.set(false);
            connected.accept(session);
        }, failure -> {
            busy.set(false);
            busyText.set("Connecting…");
            error.set(ErrorReport.headline(failure) + " " + ErrorReport.advice(failure));
            errorDetails.set(ErrorReport.details(failure));
        });
    }
}
