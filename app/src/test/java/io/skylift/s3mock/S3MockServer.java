package io.skylift.s3mock;

import io.skylift.sandbox.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Adobe's S3Mock as a child process on free ports, its store in a folder of the caller's, with the
 * sandbox's bucket created at start. It runs in a JVM of its own because its Spring Boot would clash
 * with the app's Jackson, Jetty and OkHttp on one class path. It checks no signatures: any access key
 * and secret are accepted.
 *
 * <pre>{@code
 * try (S3MockServer s3 = S3MockServer.start(dir)) {
 *     Sandbox.Settings settings = Sandbox.Settings.ephemeral().withStorage(s3.storage());
 * }
 * }</pre>
 *
 * <p>Thread-safe: its state is fixed once started.
 */
final class S3MockServer implements AutoCloseable {

    /** Where the pom puts the exec jar ({@code com.adobe.testing:s3mock:4.9.1:jar:exec}). */
    static final String JAR_PROPERTY = "skylift.s3mock.jar";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final URI endpoint;
    private final Path log;

    private S3MockServer(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    static S3MockServer start(Path dir) throws IOException {
        Path jar = jar();
        Path root = Files.createDirectories(dir.resolve("s3mock-store"));
        Path log = dir.resolve("s3mock.log");
        int httpPort = freePort();
        int httpsPort = freePort();
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Settings as S3MockApplication and its StoreProperties / S3MockProperties name them (4.x).
        List<String> command = List.of(java,
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", // small and quick to start; tests move tens of MiB
                "-jar", jar.toString(),
                "--com.adobe.testing.s3mock.httpPort=" + httpPort,
                "--server.port=" + httpsPort,
                "--com.adobe.testing.s3mock.store.root=" + root,
                "--com.adobe.testing.s3mock.store.initialBuckets=" + Sandbox.BUCKET,
                "--com.adobe.testing.s3mock.store.retainFilesOnExit=false",
                "--spring.main.banner-mode=off",
                "--logging.level.root=WARN");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        var server = new S3MockServer(process, URI.create("http://127.0.0.1:" + httpPort), log);
        try {
            server.awaitReady();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** What the sandbox needs to serve its handler over this server. */
    Sandbox.Storage storage() {
        return new Sandbox.Storage(endpoint, "s3mock-access-key", "s3mock-secret-key", Sandbox.BUCKET);
    }

    URI endpoint() {
        return endpoint;
    }

    private static Path jar() {
        String configured = System.getProperty(JAR_PROPERTY);
        Path jar = configured != null ? Path.of(configured) : Path.of("target", "s3mock", "s3mock-exec.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Mock's exec jar is not at " + jar.toAbsolutePath()
                    + ": run the tests through Maven (the pom copies com.adobe.testing:s3mock:4.9.1:jar:exec there), or set -D"
                    + JAR_PROPERTY + "=PATH");
        }
        return jar;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    // Ready when the bucket lists: the server answers and its initial bucket exists.
    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpRequest list = HttpRequest.newBuilder(endpoint.resolve("/" + Sandbox.BUCKET + "?list-type=2&max-keys=1"))
                    .timeout(Duration.ofSeconds(5)).build();
            while (true) {
                if (!process.isAlive()) {
                    throw new IOException("S3Mock exited with " + process.exitValue() + " before it was ready:\n" + logTail());
                }
                try {
                    if (http.send(list, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("Interrupted while S3Mock started", e);
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("S3Mock was not ready within " + START_TIMEOUT.toSeconds() + " s:\n" + logTail());
                }
                process.waitFor(100, TimeUnit.MILLISECONDS); // wakes at once if it dies
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while S3Mock started", e);
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
