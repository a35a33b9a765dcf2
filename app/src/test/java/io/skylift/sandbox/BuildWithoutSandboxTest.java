package io.skylift.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installers ship the app without the sandbox's parts (the backend handler, S3Proxy and its
 * server). Here the app runs on exactly such a class path, in its own JVM, as the installed
 * command line does.
 */
class BuildWithoutSandboxTest {

    @TempDir
    Path dir;

    @Test
    void theBuildWithTheSandboxKnowsItHasOne() {
        assertThat(SandboxPresence.inThisBuild()).isTrue();
    }

    @Test
    void askingForTheSandboxWhereThereIsNoneSaysWhereItIsAndChangesNothing() throws Exception {
        Result sandbox = run("sandbox", "--port", "0");
        assertThat(sandbox.exit()).isEqualTo(2);
        assertThat(sandbox.stderr()).contains(SandboxPresence.MISSING).doesNotContain("NoClassDefFoundError");

        Result window = run("gui", "--sandbox");
        assertThat(window.exit()).isEqualTo(2);
        assertThat(window.stderr()).contains(SandboxPresence.MISSING);
        try (var left = Files.list(dir.resolve("data"))) {
            assertThat(left.map(p -> p.getFileName().toString())).doesNotContain("sandbox");
        } catch (java.nio.file.NoSuchFileException nothingWritten) {
            // nothing at all is fine too
        }
    }

    @Test
    void doctorSaysTheSandboxIsNotInThisBuild() throws Exception {
        Result doctor = run("doctor");
        assertThat(doctor.stdout()).containsPattern("Local sandbox +not in this build");
    }

    private record Result(int exit, String stdout, String stderr) {}

    private Result run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", classPathWithoutSandbox(), "-Dskylift.dataDir=" + dir.resolve("data"), "io.skylift.cli.Main"));
        command.addAll(Arrays.asList(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        var builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("DISPLAY");
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("skylift " + String.join(" ", args) + " did not finish within 60 s");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The test's own class path less the module and jars only the sandbox needs, as in packaging/target/input. */
    private static String classPathWithoutSandbox() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("backend-lambda") && !entry.contains("local-s3") && !entry.contains("s3proxy")
                        && !entry.contains("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
