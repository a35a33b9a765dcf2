package io.skylift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.sandbox.Sandbox;
import io.skylift.testing.SandboxBucket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@code skylift rm} and {@code skylift mv} as a person and a script use them: on a terminal rm says
 * what it will delete and asks; a script must say --yes; a refusal (another person's file, the
 * archive, a hostile key) is a clear error with exit 1; mv never replaces a file.
 */
class FileCommandsIT {

    static final String HOME = "u/sandbox-photographer/";

    @TempDir
    static Path dir;
    static Sandbox sandbox;
    static S3Client bucket;
    static Map<String, String> env;

    @BeforeAll
    static void start() throws IOException {
        sandbox = Sandbox.start(new Sandbox.Settings(0, Optional.of(dir.resolve("sandbox")), Duration.ofSeconds(300)));
        bucket = SandboxBucket.client(sandbox);
        env = Map.of("SKYLIFT_API", sandbox.info().api().toString(), "SKYLIFT_TOKEN", sandbox.info().photographerToken(),
                "SKYLIFT_DATA_DIR", dir.resolve("data").toString());
    }

    @AfterAll
    static void stop() {
        bucket.close();
        sandbox.close();
    }

    static void put(String key, String text) {
        bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key(key), RequestBody.fromString(text));
    }

    static String stored(String key) {
        try {
            return bucket.getObject(b -> b.bucket(Sandbox.BUCKET).key(key), ResponseTransformer.toBytes()).asString(StandardCharsets.UTF_8);
        } catch (NoSuchKeyException gone) {
            return null;
        }
    }

    /** The command on a terminal of its own (util-linux {@code script}), answering {@code typed}; all it showed. */
    static SkyliftProcess.Ran onATerminal(String typed, String... args) throws Exception {
        StringBuilder command = new StringBuilder("exec '" + ProcessHandle.current().info().command().orElse("java") + "' -jar '"
                + SkyliftProcess.JAR.toAbsolutePath() + "'");
        for (String arg : args) {
            command.append(" '").append(arg.replace("'", "'\\''")).append("'");
        }
        Path shown = Files.createTempFile(dir, "terminal", ".txt");
        var builder = new ProcessBuilder("script", "-qec", command.toString(), "/dev/null").redirectOutput(shown.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        try (var keyboard = process.getOutputStream()) {
            keyboard.write(typed.getBytes(StandardCharsets.UTF_8));
        }
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("skylift did not finish on its terminal:\n" + Files.readString(shown));
        }
        return new SkyliftProcess.Ran(process.exitValue(), List.of(), Files.readString(shown));
    }

    @Test
    void onATerminalRmSaysHowManyFilesAndHowMuchAndDeletesOnlyWhenTold() throws Exception {
        put(HOME + "ask/a.jpg", "x".repeat(1500));
        put(HOME + "ask/sub/b.jpg", "y".repeat(500));

        var declined = onATerminal("n\n", "rm", HOME + "ask/");
        assertThat(declined.stderr()).contains("Delete 2 files (1.95 KiB)? [y/N]").contains("Nothing was deleted");
        assertThat(declined.exit()).isZero();
        assertThat(stored(HOME + "ask/a.jpg")).isNotNull();

        var agreed = onATerminal("y\n", "rm", HOME + "ask/");
        assertThat(agreed.exit()).as(agreed.stderr()).isZero();
        assertThat(agreed.stderr()).contains("Delete 2 files").contains("Deleted 2 files (1.95 KiB).");
        assertThat(stored(HOME + "ask/a.jpg")).isNull();
        assertThat(stored(HOME + "ask/sub/b.jpg")).isNull();
    }

    @Test
    void withoutATerminalRmDeletesOnlyWithYesAndOtherwiseIsBadUsage() throws Exception {
        put(HOME + "script/keep.jpg", "keep");

        var unasked = SkyliftProcess.run(env, "rm", HOME + "script/keep.jpg");
        assertThat(unasked.exit()).isEqualTo(2);
        assertThat(unasked.stderr()).contains("add --yes");
        assertThat(stored(HOME + "script/keep.jpg")).isEqualTo("keep");

        var told = SkyliftProcess.run(env, "rm", "--yes", "--json", HOME + "script/keep.jpg");
        assertThat(told.exit()).as(told.stderr()).isZero();
        assertThat(told.out()).isEqualTo("{\"deleted\":1,\"bytes\":4,\"failed\":[]}");
        assertThat(stored(HOME + "script/keep.jpg")).isNull();
    }

    @Test
    void rmOfAFolderItsSubFolderAndAFileInsideDeletesEachFileOnceWithExitZero() throws Exception {
        put(HOME + "nest/a.jpg", "aa");
        put(HOME + "nest/sub/b.jpg", "bbb");
        put(HOME + "nest/sub/c.jpg", "cccc");

        var ran = SkyliftProcess.run(env, "rm", "--yes", "--json", HOME + "nest/", HOME + "nest/sub/", HOME + "nest/sub/c.jpg");

        assertThat(ran.exit()).as(ran.stderr()).isZero();
        assertThat(ran.out()).isEqualTo("{\"deleted\":3,\"bytes\":9,\"failed\":[]}");
        assertThat(stored(HOME + "nest/a.jpg")).isNull();
        assertThat(stored(HOME + "nest/sub/b.jpg")).isNull();
        assertThat(stored(HOME + "nest/sub/c.jpg")).isNull();
    }

    @Test
    void rmOfAnotherPersonsFileTheArchiveOrAHostileKeyIsRefusedClearlyWithExitOne() throws Exception {
        put("u/someone-else/theirs.jpg", "theirs");
        for (String key : List.of("u/someone-else/theirs.jpg", "archives/welcome/README.txt", HOME + "../someone-else/theirs.jpg")) {
            var refused = SkyliftProcess.run(env, "rm", "--yes", key);
            assertThat(refused.exit()).as(key).isEqualTo(1);
            assertThat(refused.stderr()).as(key).contains("not deleted: " + key + ": ").doesNotContain("Exception");
            assertThat(refused.out()).as(key).contains("Deleted 0 files");
        }
        assertThat(stored("u/someone-else/theirs.jpg")).isEqualTo("theirs");
        assertThat(stored("archives/welcome/README.txt")).isNotNull();
    }

    @Test
    void mvRenamesAFileAndMovesAFolderButNeverReplacesOne() throws Exception {
        put(HOME + "raw/IMG_1.CR3", "one");
        put(HOME + "raw/IMG_2.CR3", "two");
        put(HOME + "best/IMG_2.CR3", "the one I kept");

        var renamed = SkyliftProcess.run(env, "mv", HOME + "raw/IMG_1.CR3", HOME + "raw/wedding-1.CR3");
        assertThat(renamed.exit()).as(renamed.stderr()).isZero();
        assertThat(renamed.out()).contains("Moved 1 file (3 B)");
        assertThat(stored(HOME + "raw/wedding-1.CR3")).isEqualTo("one");
        assertThat(stored(HOME + "raw/IMG_1.CR3")).isNull();

        var clash = SkyliftProcess.run(env, "mv", HOME + "raw/IMG_2.CR3", HOME + "best/");
        assertThat(clash.exit()).isEqualTo(1);
        assertThat(clash.stderr()).contains("IMG_2.CR3").contains("OBJECT_EXISTS");
        assertThat(stored(HOME + "best/IMG_2.CR3")).isEqualTo("the one I kept");
        assertThat(stored(HOME + "raw/IMG_2.CR3")).isEqualTo("two");

        var folder = SkyliftProcess.run(env, "mv", HOME + "raw/", HOME + "2026/raw/");
        assertThat(folder.exit()).as(folder.stderr()).isZero();
        assertThat(stored(HOME + "2026/raw/wedding-1.CR3")).isEqualTo("one");
        assertThat(stored(HOME + "2026/raw/IMG_2.CR3")).isEqualTo("two");
        assertThat(stored(HOME + "raw/IMG_2.CR3")).isNull();

        var theirs = SkyliftProcess.run(env, "mv", HOME + "2026/raw/IMG_2.CR3", "u/someone-else/IMG_2.CR3");
        assertThat(theirs.exit()).isEqualTo(1);
        assertThat(theirs.stderr()).contains("own folder");
    }
}
