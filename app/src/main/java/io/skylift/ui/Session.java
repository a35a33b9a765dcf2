package io.skylift.ui;

import io.skylift.engine.DirectTarget;
import io.skylift.engine.EngineSettings;
import io.skylift.engine.TransferEngine;
import io.skylift.files.UserFolders;
import io.skylift.sandbox.Sandbox;
import io.skylift.signin.CredentialTransport;
import io.skylift.ui.settings.AppSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A signed-in connection: the engine, who is signed in, and the in-process sandbox when the
 * person chose to try it. Created off the JavaFX thread (it makes a network call).
 */
public final class Session implements AutoCloseable {

    private final TransferEngine engine;
    private final TransferEngine.Account account;
    private final Sandbox sandbox;
    private final String label;

    private Session(TransferEngine engine, TransferEngine.Account account, Sandbox sandbox, String label) {
        this.engine = engine;
        this.account = account;
        this.sandbox = sandbox;
        this.label = label;
    }

    /** Starts the local sandbox (kept in the data folder) and signs in as its photographer. */
    public static Session sandbox(AppSettings settings, Path dataDir) throws IOException {
        Sandbox sandbox = Sandbox.start(new Sandbox.Settings(0, Optional.of(dataDir.resolve("sandbox")), Duration.ofSeconds(300)));
        try {
            String token = sandbox.info().photographerToken();
            return connect(sandbox.info().api(), () -> token, settings, dataDir, sandbox, "Local sandbox");
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
    }

    /** Signs in to an organisation's API; fails (with the API's words) when the URL or token is wrong. */
    public static Session api(String url, String token, AppSettings settings, Path dataDir) {
        String bearer = token.trim();
        return api(address(url), () -> bearer, settings, dataDir);
    }

    /** Signs in with a token source (a browser sign-in that renews itself). */
    public static Session api(URI api, java.util.function.Supplier<String> token, AppSettings settings, Path dataDir) {
        return connect(api, token, settings, dataDir, null, api.getHost());
    }

    /** Connects straight to a bucket with the person's AWS credentials; fails saying which credentials were tried. */
    public static Session direct(DirectTarget target, AppSettings settings, Path dataDir) {
        // The setting is the most; the CRT gets a fixed number and paces itself within it, 8 unless set lower.
        TransferEngine engine = TransferEngine.start(EngineSettings.direct(target, dataDir.resolve("transfers"))
                .withConcurrency(Math.min(settings.connections(), EngineSettings.DIRECT_CONCURRENCY))
                .withPartSize(settings.partSizeMiB() * 1024L * 1024));
        return signIn(engine, settings, null, "s3://" + target.bucket());
    }

    /**
     * @throws IllegalArgumentException with words for a person when {@code url} is not a web address, or
     *                                  is a plain http one of another computer (the sign-in would travel unencrypted)
     */
    public static URI address(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !CredentialTransport.isWebAddress(uri)) {
            throw new IllegalArgumentException("\"" + url + "\" is not a web address. It looks like https://skylift.example.com");
        }
        if (!CredentialTransport.allows(uri)) {
            throw new IllegalArgumentException("\"" + url + "\" would send your sign-in unencrypted. Use "
                    + CredentialTransport.withHttps(uri) + " instead: " + CredentialTransport.LOOPBACK_ONLY + ".");
        }
        return uri;
    }

    private static Session connect(URI api, java.util.function.Supplier<String> token, AppSettings settings, Path dataDir, Sandbox sandbox,
                                   String label) {
        TransferEngine engine = TransferEngine.start(EngineSettings.of(api, token, dataDir.resolve("transfers"))
                .withConcurrency(settings.connections()).withPartSize(settings.partSizeMiB() * 1024L * 1024)
                .withIoTimeout(Duration.ofSeconds(60)));
        return signIn(engine, settings, sandbox, label);
    }

    private static Session signIn(TransferEngine engine, AppSettings settings, Sandbox sandbox, String label) {
        try {
            TransferEngine.Account account = engine.account();
            engine.tune(settings.connections(), settings.partSizeMiB() * 1024L * 1024, settings.bandwidthMBps() * 1_000_000L);
            return new Session(engine, account, sandbox, label);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    public static Path dataDir() {
        return UserFolders.data();
    }

    public TransferEngine engine() {
        return engine;
    }

    public TransferEngine.Account account() {
        return account;
    }

    public boolean isSandbox() {
        return sandbox != null;
    }

    /** "Local sandbox" or the API's host name. */
    public String label() {
        return label;
    }

    @Override
    public void close() {
        engine.close();
        if (sandbox != null) {
            sandbox.close();
        }
    }
}
