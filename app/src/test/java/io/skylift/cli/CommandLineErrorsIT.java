package io.skylift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a person or a script sees when something is wrong: one clear line on standard error, the
 * documented exit code, and nothing lost.
 */
class CommandLineErrorsIT {

    static Path dir;
    static Sandbox sandbox;
    static Map<String, String> env;

    @BeforeAll
    static void start() throws IOException {
        // Readable by the unprivileged user some tests run skylift as (root ignores file permissions).
        dir = Files.createTempDirectory("skylift-errors-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        sandbox = Sandbox.start(new Sandbox.Settings(0, Optional.empty(), Duration.ofSeconds(300)));
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
        env = Map.of("SKYLIFT_API", sandbox.info().api().toString(), "SKYLIFT_TOKEN", sandbox.info().photographerToken(),
                "SKYLIFT_DATA_DIR", data.toString());
    }

    @AfterAll
    static void stop() throws IOException, InterruptedException {
        sandbox.close();
        new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
    }

    record Outcome(int exit, String stderr, String stdout) {}

    static Outcome skylift(Map<String, String> environment, boolean unprivileged, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (unprivileged && isRoot()) {
            command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"));
        }
        command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", SkyliftProcess.JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Map<String, String> variables = new HashMap<>(environment);
        if (unprivileged) {
            // A data folder of its own: root's journal folder (owner-only) is not this user's to read.
            Path own = Files.createTempDirectory(dir, "data-");
            Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rwxrwxrwx"));
            variables.put("SKYLIFT_DATA_DIR", own.toString());
        }
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        var builder = new ProcessBuilder(command).redirectError(err.toFile()).redirectOutput(out.toFile());
        // No AWS credentials but those a test gives: the machine's own must not leak in.
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        builder.environment().putAll(variables);
        builder.environment().put("HOME", dir.toString());
        Process process = builder.start();
        if (!process.waitFor(Duration.ofMinutes(2).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("skylift did not finish");
        }
        return new Outcome(process.exitValue(), Files.readString(err).strip(), Files.readString(out).strip());
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Test
    void directModeWithoutAwsCredentialsSaysWhatWasTriedAndWhatToDo() throws Exception {
        Outcome outcome = skylift(Map.of("AWS_EC2_METADATA_DISABLED", "true"), false, "ls", "--bucket", "studio-archive", "--region", "eu-west-1");

        assertThat(outcome.exit()).isEqualTo(1);
        assertThat(outcome.stderr()).contains("No AWS credentials found. Tried the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY environment variables")
                .contains("the default profile in ~/.aws/config and ~/.aws/credentials")
                .contains("Run `aws configure` or `aws sso login`, or name a profile with --profile NAME.")
                .doesNotContain("\tat ");
        assertThat(outcome.stderr().lines()).hasSize(1);
    }

    @Test
    void anUnreadableFileIsReportedInOneLineAndExitsWith1() throws Exception {
        Path secret = dir.resolve("private.raw");
        Files.write(secret, new byte[1000]);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));

        Outcome outcome = skylift(env, true, "upload", secret.toString());

        assertThat(outcome.exit()).isEqualTo(1);
        assertThat(outcome.stderr()).contains("Cannot read " + secret + ": permission denied").doesNotContain("\tat ");
        assertThat(outcome.stderr().lines()).hasSize(1);
    }

    @Test
    void aTargetFolderThatCannotBeWrittenIsReportedAndLeavesNothingBehind() throws Exception {
        Path file = dir.resolve("for-download.txt");
        Files.writeString(file, "hello");
        assertThat(skylift(env, false, "upload", file.toString(), "--to", "errors").exit()).isZero();
        Path locked = Files.createDirectories(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));

        Outcome outcome = skylift(env, true, "download", "u/sandbox-photographer/errors/for-download.txt", "--out", locked.toString());

        assertThat(outcome.exit()).isEqualTo(1);
        assertThat(outcome.stderr()).contains("Cannot write into " + locked + ": permission denied");
        assertThat(outcome.stderr().lines()).hasSize(1);
        try (var left = Files.list(locked)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aWrongTokenIsReportedInOneLineAndExitsWith1() throws Exception {
        Map<String, String> wrong = new HashMap<>(env);
        wrong.put("SKYLIFT_TOKEN", "sbx_p_wrong");

        Outcome outcome = skylift(wrong, false, "ls");

        assertThat(outcome.exit()).isEqualTo(1);
        assertThat(outcome.stderr()).isEqualTo("skylift: The Skylift API did not accept the sign-in token (401). Sign in again, or check --token / SKYLIFT_TOKEN.");
    }

    @Test
    void aBackendThatIsDownIsReportedInOneLineAndExitsWith1() throws Exception {
        Map<String, String> down = new HashMap<>(env);
        down.put("SKYLIFT_API", "http://127.0.0.1:9");
        Path file = dir.resolve("waiting.txt");
        Files.writeString(file, "waiting");

        Outcome outcome = skylift(down, false, "upload", file.toString());

        assertThat(outcome.exit()).isEqualTo(1);
        assertThat(outcome.stderr()).startsWith("skylift: Cannot reach the Skylift API at http://127.0.0.1:9").contains("Check the API URL");
        assertThat(outcome.stderr().lines()).hasSize(1);
        assertThat(Files.readString(file)).isEqualTo("waiting");
    }

    @Test
    void badUsageExitsWith2() throws Exception {
        assertThat(skylift(env, false, "upload").exit()).isEqualTo(2);
        assertThat(skylift(env, false, "upload", "x", "--concurrency", "many").exit()).isEqualTo(2);
        assertThat(skylift(Map.of("SKYLIFT_DATA_DIR", env.get("SKYLIFT_DATA_DIR")), false, "ls").exit()).as("no API configured").isEqualTo(2);
    }

    @Test
    void theCommonOptionsAreTakenByEveryTransferCommand() throws Exception {
        String[] common = {"--api", env.get("SKYLIFT_API"), "--token", env.get("SKYLIFT_TOKEN"), "--concurrency", "4", "--part-size", "64MiB"};
        for (String command : List.of("transfers", "ls", "resume")) {
            List<String> args = new ArrayList<>(List.of(command));
            if (command.equals("resume")) {
                args.add("--all");
            }
            args.addAll(List.of(common));
            Outcome outcome = skylift(env, false, args.toArray(String[]::new));
            assertThat(outcome.exit()).as(command + ": " + outcome.stderr()).isZero();
        }
    }

    @Test
    void jsonLinesCarryTheDocumentedFields() throws Exception {
        Path file = dir.resolve("json.bin");
        Files.write(file, new byte[12345]);

        Outcome outcome = skylift(env, false, "upload", file.toString(), "--to", "json", "--json");

        assertThat(outcome.exit()).isZero();
        var line = new com.fasterxml.jackson.databind.ObjectMapper().readTree(outcome.stdout());
        List<String> fields = new ArrayList<>();
        line.fieldNames().forEachRemaining(fields::add);
        // The documented fields, in order; added ones come after them.
        assertThat(fields).containsExactly("id", "direction", "file", "key", "size", "state", "bytesTransferred", "seconds", "crc32c",
                "verified", "connections");
        assertThat(line.get("state").asText()).isEqualTo("done");
        assertThat(line.get("connections").asInt()).as("one small file: one PUT on one connection").isEqualTo(1);
        assertThat(line.get("verified").asText()).as("a single PUT's CRC32C, checked by storage").isEqualTo("crc32c");
        assertThat(line.get("bytesTransferred").asLong()).isEqualTo(12345);
    }

    @Test
    void runningAnUploadAgainSkipsWhatIsStoredNamesTakenNamesInOneLineAndDryRunSendsNothing() throws Exception {
        Path shoot = Files.createDirectories(dir.resolve("again-shoot"));
        for (String name : List.of("a.jpg", "b.jpg", "c.jpg", ".DS_Store", "d.xmp")) {
            Files.writeString(shoot.resolve(name), "first " + name);
        }
        String[] upload = {"upload", shoot.toString(), "--to", "again", "--exclude", ".DS_Store", "--exclude", "*.xmp"};
        assertThat(skylift(env, false, upload).exit()).isZero();
        Files.writeString(shoot.resolve("b.jpg"), "another b, longer than the first");
        Files.writeString(shoot.resolve("e.jpg"), "new");

        Outcome dryRun = skylift(env, false, append(upload, "--dry-run"));
        assertThat(dryRun.exit()).as("a refusal ahead: " + dryRun.stderr()).isEqualTo(1);
        assertThat(dryRun.stdout()).contains("already stored").contains("refuse").contains("send")
                .contains("dry run: 1 to send, 0 to resume, 2 already stored, 0 to skip, 0 to keep as copies, 1 refused; nothing was sent.")
                .doesNotContain(".DS_Store").doesNotContain("d.xmp");

        Outcome refused = skylift(env, false, append(upload, "--json"));
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.stderr()).contains("skylift: 1 file was not uploaded because other files hold their names: b.jpg."
                + " Run again with --if-exists rename to keep both, or --if-exists skip.");
        assertThat(refused.stdout().lines().filter(l -> l.contains("\"skipped\":\"identical\""))).hasSize(2);

        Outcome renamed = skylift(env, false, append(upload, "--if-exists", "rename", "--json"));
        assertThat(renamed.exit()).as(renamed.stderr()).isZero();
        assertThat(renamed.stdout()).contains("again/again-shoot/b (1).jpg");

        assertThat(skylift(env, false, append(upload, "--if-exists", "replace")).exit()).as("never replaces").isEqualTo(2);
        assertThat(skylift(env, false, append(upload, "--exclude", "[")).exit()).as("not a glob").isEqualTo(2);
    }

    static String[] append(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
