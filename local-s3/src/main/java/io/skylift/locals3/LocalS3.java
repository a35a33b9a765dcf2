package io.skylift.locals3;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.Objects;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.shaded.org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.gaul.shaded.org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.gaul.shaded.org.eclipse.jetty.server.Server;

/**
 * A real S3 API server on 127.0.0.1: S3Proxy over a filesystem store, with SigV4 authentication
 * on, so presigned URLs are checked the way S3 checks them (signature, expiry, signed headers).
 *
 * <p>Where S3Proxy answers otherwise than S3 the server is made to answer as S3 does (see the README's
 * "differences"): among others, GLACIER and DEEP_ARCHIVE objects must be restored before they are read
 * ({@link #archive()}), and copies keep S3's conditions and checksums.
 *
 * <p>Used by the sandbox and by every test that talks S3. Thread-safe once started.
 *
 * <pre>{@code
 * try (LocalS3 s3 = LocalS3.start(LocalS3.Settings.ephemeral(dir))) {
 *     URI endpoint = s3.endpoint();
 *     s3.archive().restoreDelay(Duration.ofSeconds(1)); // restores asked for from now on take a second
 * }
 * }</pre>
 */
public final class LocalS3 implements AutoCloseable {

    /**
     * What the server is started with; {@code port} 0 picks a free port. {@code restoreDelay} is how long
     * a RestoreObject of an archived object takes (S3 takes hours; see {@link Archive}).
     */
    public record Settings(Path dataDir, int port, String bucket, String accessKey, String secretKey, Duration restoreDelay) {
        public Settings {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(accessKey, "accessKey");
            Objects.requireNonNull(secretKey, "secretKey");
            Objects.requireNonNull(restoreDelay, "restoreDelay");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            if (restoreDelay.isNegative()) {
                throw new IllegalArgumentException("restoreDelay must not be negative, was " + restoreDelay);
            }
        }

        /** With restores taking {@link Archive#DEFAULT_RESTORE_DELAY}. */
        public Settings(Path dataDir, int port, String bucket, String accessKey, String secretKey) {
            this(dataDir, port, bucket, accessKey, secretKey, Archive.DEFAULT_RESTORE_DELAY);
        }

        /** A free port and fixed test credentials: for tests and throwaway sandboxes. */
        public static Settings ephemeral(Path dataDir) {
            return new Settings(dataDir, 0, "skylift", "local-access-key", "local-secret-key");
        }

        public Settings withRestoreDelay(Duration delay) {
            return new Settings(dataDir, port, bucket, accessKey, secretKey, delay);
        }
    }

    private static final int MAX_SERVER_THREADS = 64;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

    private final S3Proxy proxy;
    private final Settings settings;
    private final Faults faults;
    private final Archive archive;

    private LocalS3(S3Proxy proxy, Settings settings, Faults faults, Archive archive) {
        this.proxy = proxy;
        this.settings = settings;
        this.faults = faults;
        this.archive = archive;
    }

    /**
     * Starts the server and creates the bucket if it does not exist yet.
     *
     * @throws IOException if the data folder cannot be created or the port is taken
     */
    public static LocalS3 start(Settings settings) throws IOException {
        Path store = settings.dataDir().toAbsolutePath();
        Files.createDirectories(store);
        Archive archive = new Archive(settings.restoreDelay(), InstantSource.system());
        Faults faults = new Faults();
        var blobStore = new StrictMultipartBlobStore(
                new ArchiveBlobStore(new StrictCopyBlobStore(new FilesystemNio2BlobStore(store.toString())), archive), faults);
        if (!blobStore.containerExists(settings.bucket())) {
            blobStore.createContainer(settings.bucket());
        }
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://127.0.0.1:" + settings.port()))
                .awsAuthentication(AuthenticationType.AWS_V4, settings.accessKey(), settings.secretKey())
                .jettyMaxThreads(MAX_SERVER_THREADS)
                .stopTimeout(STOP_TIMEOUT.toMillis())
                .build();
        addFilters(proxy, new FaultInjection(faults, blobStore), new S3WireConformance(blobStore),
                new ArchiveEmulation(archive, blobStore, settings.accessKey(), settings.secretKey()));
        try {
            proxy.start();
            awaitStarted(proxy);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("The local S3 server did not start on port " + settings.port() + ": " + e.getMessage(), e);
        }
        return new LocalS3(proxy, settings, faults, archive);
    }

    // S3Proxy builds its Jetty server without a hook for filters; it is reached by its field name.
    // Filters see a request in the order given, the first one before all others.
    private static void addFilters(S3Proxy proxy, Filter... filters) throws IOException {
        try {
            Field serverField = S3Proxy.class.getDeclaredField("server");
            serverField.setAccessible(true);
            var server = (Server) serverField.get(proxy);
            ServletContextHandler context = server.getDescendant(ServletContextHandler.class);
            if (context == null) {
                throw new ClassCastException("no servlet context under " + server.getHandler());
            }
            for (Filter filter : filters) {
                context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
            }
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IOException("This S3Proxy version is laid out differently than expected: " + e, e);
        }
    }

    private static void awaitStarted(S3Proxy proxy) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline || "FAILED".equals(proxy.getState())) {
                throw new IOException("state " + proxy.getState());
            }
            Thread.sleep(10);
        }
    }

    /** The base URL S3 clients talk to (path-style addressing). */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** Faults a test can arm so that this server answers as S3 does where it otherwise never would. */
    public Faults faults() {
        return faults;
    }

    /** The archive storage classes' restores, and how long one takes from now on. */
    public Archive archive() {
        return archive;
    }

    public String bucket() {
        return settings.bucket();
    }

    public String accessKey() {
        return settings.accessKey();
    }

    public String secretKey() {
        return settings.secretKey();
    }

    /** The region clients sign for; S3Proxy accepts any, S3 tools need one. */
    public String region() {
        return "us-east-1";
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (java.util.concurrent.TimeoutException idleConnections) {
            // Jetty waited STOP_TIMEOUT for open (often idle keep-alive) connections, then closed them: stopped.
        } catch (Exception e) {
            throw new IllegalStateException("The local S3 server did not stop cleanly", e);
        }
    }
}
