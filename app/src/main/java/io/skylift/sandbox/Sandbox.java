package io.skylift.sandbox;

import io.skylift.backend.Clients;
import io.skylift.backend.Config;
import io.skylift.backend.Handler;
import io.skylift.files.PrivateFiles;
import io.skylift.locals3.LocalS3;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The cloud in one process: a real S3 API server (S3Proxy, SigV4 on) and the real backend handler
 * behind a local API that plays API Gateway, both on 127.0.0.1.
 *
 * <pre>{@code
 * try (Sandbox sandbox = Sandbox.start(Sandbox.Settings.ephemeral())) {
 *     URI api = sandbox.info().api();
 * }
 * }</pre>
 *
 * <p>{@link Settings#withStorage} serves the handler over another S3-compatible server instead of S3Proxy
 * (tests run the engine against a second implementation that way).
 *
 * <p>With a data folder, files, tokens, credentials and unfinished uploads survive a restart;
 * without one, everything lives in a temporary folder removed on close. Thread-safe.
 */
public final class Sandbox implements AutoCloseable {

    public static final String BUCKET = "skylift";
    public static final String REGION = "us-east-1";
    public static final int DEFAULT_PORT = 8787;

    /**
     * @param port    the API's port (the S3 server takes the next one); 0 picks free ports
     * @param dataDir where data is kept across restarts; empty for a throwaway sandbox
     * @param urlTtl  how long presigned URLs live (at most 300 s)
     * @param storage an S3-compatible server to use instead of starting S3Proxy; empty for S3Proxy
     */
    public record Settings(int port, Optional<Path> dataDir, Duration urlTtl, UnaryOperator<URI> s3Front, Optional<SignIn> signIn,
                           Optional<Storage> storage) {
        public Settings(int port, Optional<Path> dataDir, Duration urlTtl) {
            this(port, dataDir, urlTtl, UnaryOperator.identity(), Optional.empty(), Optional.empty());
        }

        public Settings(int port, Optional<Path> dataDir, Duration urlTtl, UnaryOperator<URI> s3Front, Optional<SignIn> signIn) {
            this(port, dataDir, urlTtl, s3Front, signIn, Optional.empty());
        }

        public static Settings ephemeral() {
            return new Settings(0, Optional.empty(), Config.MAX_URL_TTL);
        }

        /**
         * Puts something between clients and the S3 server (a fault-injecting proxy in tests): given
         * the server's endpoint, it returns the endpoint everyone should use instead.
         */
        public Settings withS3Front(UnaryOperator<URI> front) {
            return new Settings(port, dataDir, urlTtl, front, signIn, storage);
        }

        /** Accepts tokens of an OIDC issuer too, checked as API Gateway's JWT authorizer checks them. */
        public Settings withSignIn(SignIn oidc) {
            return new Settings(port, dataDir, urlTtl, s3Front, Optional.of(oidc), storage);
        }

        /**
         * Serves the handler over another S3-compatible server (its bucket must exist) instead of
         * starting S3Proxy; {@link Sandbox#storageFaults()} is then unavailable.
         */
        public Settings withStorage(Storage external) {
            return new Settings(port, dataDir, urlTtl, s3Front, signIn, Optional.of(external));
        }
    }

    /** An S3-compatible server the handler uses instead of the sandbox's own S3Proxy (path-style). */
    public record Storage(URI endpoint, String accessKey, String secretKey, String bucket) {
        @Override
        public String toString() {
            return "Storage[endpoint=" + endpoint + ", bucket=" + bucket + ", secrets=<hidden>]";
        }
    }

    /**
     * An OIDC issuer whose tokens the sandbox accepts, the audience they must carry, and the public
     * client id the app signs in with (served by {@code GET /v1/config}).
     */
    public record SignIn(String issuer, String audience, String clientId) {}

    /** What a client or an S3 tool needs to use the sandbox; {@code toJson} is the `sandbox --json` line. */
    public record Info(URI api, String photographerToken, String staffToken, URI s3Endpoint, String s3AccessKey,
                       String s3SecretKey, String bucket) {
        @Override
        public String toString() {
            return "Sandbox[api=" + api + ", s3=" + s3Endpoint + ", secrets=<hidden>]";
        }
    }

    private final LocalS3 s3; // null when the handler uses another S3 server
    private final LocalApi api;
    private final Info info;
    private final Path dataDir;
    private final boolean temporary;

    private Sandbox(LocalS3 s3, LocalApi api, Info info, Path dataDir, boolean temporary) {
        this.s3 = s3;
        this.api = api;
        this.info = info;
        this.dataDir = dataDir;
        this.temporary = temporary;
    }

    /**
     * What the S3 server can be made to answer that S3 answers in races and under narrow grants
     * (a raced complete, 403 for a missing key). Only tests arm it; nothing is armed otherwise.
     */
    public io.skylift.locals3.Faults storageFaults() {
        if (s3 == null) {
            throw new IllegalStateException("This sandbox uses another S3 server (" + info.s3Endpoint() + "); only its own S3Proxy has faults to arm.");
        }
        return s3.faults();
    }

    /**
     * How the sandbox's S3 keeps archived (GLACIER, DEEP_ARCHIVE) objects: a test shortens the time a
     * restore takes through it.
     */
    public io.skylift.locals3.Archive archive() {
        if (s3 == null) {
            throw new IllegalStateException("This sandbox uses another S3 server (" + info.s3Endpoint() + "); only its own S3Proxy emulates restores.");
        }
        return s3.archive();
    }

    /** @throws IOException with a message naming the port when a port is taken */
    public static Sandbox start(Settings settings) throws IOException {
        boolean temporary = settings.dataDir().isEmpty();
        Path dataDir = temporary ? Files.createTempDirectory("skylift-sandbox-") : PrivateFiles.createDirectories(settings.dataDir().get());
        SandboxSecrets secrets = SandboxSecrets.in(dataDir);
        LocalS3 s3 = null;
        Storage storage;
        if (settings.storage().isPresent()) {
            storage = settings.storage().get();
        } else {
            int s3Port = settings.port() == 0 ? 0 : settings.port() + 1;
            try {
                s3 = LocalS3.start(new LocalS3.Settings(dataDir.resolve("s3"), s3Port, BUCKET, secrets.s3AccessKey(), secrets.s3SecretKey()));
            } catch (IOException e) {
                throw new IOException("The sandbox's S3 server cannot listen on port " + s3Port
                        + " (is another sandbox running?). Choose another with --port N, or --port 0 for any free ports.", e);
            }
            storage = new Storage(s3.endpoint(), secrets.s3AccessKey(), secrets.s3SecretKey(), BUCKET);
        }
        try {
            Map<String, String> env = new java.util.HashMap<>(Map.of(
                    "SKYLIFT_BUCKET", storage.bucket(),
                    "AWS_REGION", REGION,
                    "SKYLIFT_SEAL_SECRET", secrets.sealSecret(),
                    "SKYLIFT_S3_ENDPOINT", settings.s3Front().apply(storage.endpoint()).toString(),
                    "SKYLIFT_URL_TTL_SECONDS", String.valueOf(settings.urlTtl().toSeconds())));
            settings.signIn().ifPresent(oidc -> {
                env.put("SKYLIFT_OIDC_ISSUER", oidc.issuer());
                env.put("SKYLIFT_OIDC_CLIENT_ID", oidc.clientId());
            });
            Config config = Config.fromEnvironment(env);
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(storage.accessKey(), storage.secretKey()));
            Clients clients = Clients.create(config, credentials);
            seedArchive(clients, storage.bucket());
            Handler handler = new Handler(config, clients, Clock.systemUTC());
            LocalApi api;
            try {
                Map<String, Map<String, String>> staticTokens = Map.of(
                        secrets.photographerToken(), SandboxIdentity.PHOTOGRAPHER.claims(),
                        secrets.staffToken(), SandboxIdentity.STAFF.claims());
                List<LocalApi.Authorizer> authorizers = new ArrayList<>();
                authorizers.add(staticTokens::get);
                settings.signIn().ifPresent(oidc -> authorizers.add(new JwtAuthorizer(oidc.issuer(), oidc.audience())));
                api = LocalApi.start(settings.port(), handler, authorizers);
            } catch (BindException e) {
                throw new IOException("Port " + settings.port() + " is in use (is another sandbox running?). "
                        + "Choose another with --port N, or --port 0 for any free ports.", e);
            }
            var info = new Info(api.uri(), secrets.photographerToken(), secrets.staffToken(), config.s3Endpoint().orElseThrow(),
                    storage.accessKey(), storage.secretKey(), storage.bucket());
            return new Sandbox(s3, api, info, dataDir, temporary);
        } catch (Throwable e) {
            if (s3 != null) {
                s3.close();
            }
            throw e;
        }
    }

    // Staff see a shared archive; give a fresh sandbox something in it to browse and download.
    private static void seedArchive(Clients clients, String bucket) {
        var existing = clients.s3().listObjectsV2(b -> b.bucket(bucket).prefix("archives/").maxKeys(1));
        if (existing.contents().isEmpty()) {
            String text = "This is the shared archive. Staff can read everything under archives/; photographers cannot.\n";
            clients.s3().putObject(b -> b.bucket(bucket).key("archives/welcome/README.txt").contentType("text/plain"),
                    RequestBody.fromString(text, StandardCharsets.UTF_8));
        }
    }

    public Info info() {
        return info;
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean isTemporary() {
        return temporary;
    }

    @Override
    public void close() {
        api.close();
        if (s3 != null) {
            s3.close();
        }
        if (temporary) {
            deleteRecursively(dataDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove the sandbox's temporary folder " + dir, e);
        }
    }
}
