package io.skylift.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The deployment artifact holds the handler and its runtime dependencies, and nothing else. */
class LambdaArtifactIT {

    static Path artifact() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-lambda.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no *-lambda.jar in target/: run the package phase"));
        }
    }

    @Test
    void theArtifactHoldsNoTestSandboxOrAlternativeHttpClientCode() throws IOException {
        Path jar = artifact();
        List<String> entries;
        try (JarFile file = new JarFile(jar.toFile())) {
            entries = file.stream().map(java.util.zip.ZipEntry::getName).toList();
        }

        assertThat(entries).contains("io/skylift/backend/Handler.class");
        // The class template.yaml names as the handler, at the path its CodeUri names.
        String handler = java.util.regex.Pattern.compile("Handler: ([\\w.]+)::handleRequest").matcher(Files.readString(Path.of("template.yaml")))
                .results().findFirst().orElseThrow().group(1);
        assertThat(entries).contains(handler.replace('.', '/') + ".class");
        assertThat(Files.readString(Path.of("template.yaml"))).contains("CodeUri: target/" + jar.getFileName());
        assertThat(entries).noneMatch(e -> e.startsWith("org/gaul/") || e.startsWith("io/skylift/locals3/"));
        assertThat(entries).noneMatch(e -> e.endsWith("Test.class") || e.endsWith("IT.class") || e.contains("BackendUnderTest"));
        assertThat(entries).noneMatch(e -> e.startsWith("org/junit/") || e.startsWith("org/assertj/") || e.startsWith("okhttp3/"));
        assertThat(entries).noneMatch(e -> e.startsWith("io/netty/") || e.startsWith("org/apache/http/") || e.startsWith("org/apache/hc/"));
        assertThat(entries).noneMatch(e -> e.startsWith("software/amazon/awssdk/http/apache") || e.startsWith("software/amazon/awssdk/http/nio/netty"));
        System.out.printf("Lambda artifact %s: %d bytes, %d entries%n", jar.getFileName(), Files.size(jar), entries.size());
    }

    @Test
    void theHandlerStartsFromTheArtifactAlone() throws Exception {
        // Only the artifact and the JDK: a class missing from the jar fails here, not in Lambda.
        try (var loader = new URLClassLoader(new URL[] {artifact().toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Class<?> config = loader.loadClass("io.skylift.backend.Config");
            Object settings = config.getMethod("fromEnvironment", Map.class).invoke(null, Map.of(
                    "SKYLIFT_BUCKET", "skylift-artifact-check", "AWS_REGION", "eu-west-1",
                    "SKYLIFT_SEAL_SECRET", BackendUnderTest.SECRET));
            Class<?> providerType = loader.loadClass("software.amazon.awssdk.auth.credentials.AwsCredentialsProvider");
            Object credentials = loader.loadClass("software.amazon.awssdk.auth.credentials.StaticCredentialsProvider")
                    .getMethod("create", loader.loadClass("software.amazon.awssdk.auth.credentials.AwsCredentials"))
                    .invoke(null, loader.loadClass("software.amazon.awssdk.auth.credentials.AwsBasicCredentials")
                            .getMethod("create", String.class, String.class).invoke(null, "AKIDEXAMPLE", "not-a-real-secret"));
            Object clients = loader.loadClass("io.skylift.backend.Clients").getMethod("create", config, providerType)
                    .invoke(null, settings, credentials);
            Object handler = loader.loadClass("io.skylift.backend.Handler")
                    .getConstructor(config, clients.getClass(), Clock.class)
                    .newInstance(settings, clients, Clock.systemUTC());

            assertThat(handler.getClass().getClassLoader()).isSameAs(loader);
        }
    }
}
