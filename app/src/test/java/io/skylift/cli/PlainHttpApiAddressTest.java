package io.skylift.cli;

import static io.skylift.cli.UsageErrorSecretsTest.skylift;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every call to the API carries the sign-in token: over plain http it can be read and replayed by
 * anyone on the way. The command line refuses an http:// API address unless it is this computer.
 */
class PlainHttpApiAddressTest {

    static final String TOKEN = "sbx_p_Hq3wE5rTy7Ui9Op1As2Df4Gh";
    static final String REFUSAL = "would send your sign-in unencrypted";

    @Test
    void anHttpAddressOfAnotherComputerIsRefusedBeforeAnythingIsSent() {
        for (String api : List.of("http://skylift.example.com", "HTTP://skylift.example.com/prod", "http://192.0.2.7:8787",
                "http://127.0.0.1.example.com", "http://localhost.example.com", "http://0.0.0.0:8787", "http://[fe80::1]:8787")) {
            for (String command : List.of("ls", "login")) {
                UsageErrorSecretsTest.Outcome outcome = command.equals("ls") ? skylift("ls", "--api", api, "--token", TOKEN) : skylift("login", "--api", api, "--no-browser");

                assertThat(outcome.exit()).as(command + " " + api).isEqualTo(2);
                assertThat(outcome.stderr()).as(command + " " + api).contains(REFUSAL).contains("https://").doesNotContain("Hq3wE5rTy7");
            }
        }
    }

    @Test
    void plainHttpToThisComputerIsStillAccepted() {
        for (String api : List.of("http://127.0.0.1:9", "http://localhost:9", "http://LOCALHOST:9", "http://[::1]:9", "http://127.8.9.10:9")) {
            UsageErrorSecretsTest.Outcome outcome = skylift("login", "--api", api, "--no-browser");

            assertThat(outcome.stderr()).as(api).doesNotContain(REFUSAL).contains("skylift:");
            assertThat(outcome.exit()).as(api + ": nothing listens there").isEqualTo(ExitCodes.FAILURE);
        }
    }

    @Test
    void anAddressFromTheEnvironmentIsHeldToTheSameRule(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        var builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "ls")
                .redirectErrorStream(true);
        builder.environment().put("SKYLIFT_API", "http://skylift.example.com");
        builder.environment().put("SKYLIFT_TOKEN", TOKEN);
        builder.environment().put("SKYLIFT_DATA_DIR", dir.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("skylift finished").isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(2);
        assertThat(output).contains(REFUSAL).contains("SKYLIFT_API").doesNotContain("Hq3wE5rTy7");
    }
}
