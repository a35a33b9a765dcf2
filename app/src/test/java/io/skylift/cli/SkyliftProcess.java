package io.skylift.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** {@code java -jar target/skylift.jar ...} as a separate process, exactly as a user or script runs it. */
final class SkyliftProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "skylift.jar");

    // A process that stops talking fails the test instead of hanging the build.
    private static final Duration LINE_TIMEOUT = Duration.ofSeconds(90);
    private static final String END = "\u0000end";

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path stderr;

    private SkyliftProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        Thread.ofPlatform().daemon(true).name("skylift-stdout").start(() -> {
            try (var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process went away
            } finally {
                lines.add(END);
            }
        });
    }

    static SkyliftProcess start(Map<String, String> env, String... args) throws IOException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run the package phase first");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile("skylift-stderr", ".txt");
        var builder = new ProcessBuilder(command).redirectError(stderr.toFile());
        builder.environment().putAll(env);
        return new SkyliftProcess(builder.start(), stderr);
    }

    static SkyliftProcess start(String... args) throws IOException {
        return start(Map.of(), args);
    }

    /** What a finished run printed, and how it ended. */
    record Ran(int exit, List<String> stdout, String stderr) {
        String out() {
            return String.join("\n", stdout);
        }
    }

    /** Runs the command to its end (two minutes at most) and returns what it printed. */
    static Ran run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        try (SkyliftProcess process = start(env, args)) {
            List<String> out = new ArrayList<>();
            for (String line; (line = process.readLine()) != null; ) {
                out.add(line);
            }
            int exit = process.waitFor(Duration.ofMinutes(2));
            return new Ran(exit, out, process.stderr());
        }
    }

    /** The next line the process prints on standard output; null when it ends first. */
    String readLine() throws IOException, InterruptedException {
        String line = lines.poll(LINE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError("skylift printed nothing for " + LINE_TIMEOUT + "; its standard error:\n" + stderr());
        }
        if (line.equals(END)) {
            lines.add(END);
            return null;
        }
        return line;
    }

    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("skylift did not finish within " + timeout);
        }
        return process.exitValue();
    }

    String stderr() throws IOException {
        return Files.readString(stderr);
    }

    /** Asks the process to stop as Ctrl-C would (SIGTERM runs the same shutdown hooks), and waits. */
    int stop() throws InterruptedException {
        process.destroy();
        return waitFor(Duration.ofSeconds(30));
    }

    /** What Ctrl-C sends. */
    void interrupt() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();
    }

    /** {@code kill -9}: no shutdown hook runs, nothing is flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        Files.deleteIfExists(stderr);
    }
}
