package io.skylift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mistyped command line is echoed back so the user can see what went wrong; a sign-in token on that
 * line must not be, since terminals, CI logs and screen shares keep what is printed.
 */
class UsageErrorSecretsTest {

    static final String TOKEN = "sbx_p_Zq8vR2kLm4Tn6Wx0Yb3Cd5Fg";

    record Outcome(int exit, String stderr) {}

    static Outcome skylift(String... args) {
        StringWriter err = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Outcome(exit, err.toString());
    }

    @Test
    void aMistypedCommandSaysWhatWasNotUnderstoodWithoutPrintingTheTokenAfterIt() {
        Outcome outcome = skylift("shar", "photo.raw", "--token", TOKEN);

        assertThat(outcome.exit()).isEqualTo(2);
        assertThat(outcome.stderr()).doesNotContain(TOKEN).doesNotContain("Zq8vR2kLm4")
                .contains("Unmatched arguments").contains("'shar'").contains("'photo.raw'").contains("'--token'");
    }

    @Test
    void aTokenJoinedToItsOptionWithAnEqualsSignIsMaskedToo() {
        Outcome outcome = skylift("shar", "photo.raw", "--token=" + TOKEN);

        assertThat(outcome.exit()).isEqualTo(2);
        assertThat(outcome.stderr()).doesNotContain(TOKEN).doesNotContain("Zq8vR2kLm4")
                .contains("Unmatched arguments").contains("'shar'").contains("'--token=");
    }

    @Test
    void anUnknownSubcommandDoesNotPrintATokenOfAnyShape() {
        for (String token : new String[] {"correct-horse-battery-staple", "T"}) {
            Outcome outcome = skylift("uplaod", "photo.raw", "--to", "2026", "--token", token);

            assertThat(outcome.exit()).as(token).isEqualTo(2);
            assertThat(outcome.stderr()).as(token).doesNotContain("'" + token + "'").doesNotContain("horse")
                    .contains("'uplaod'").contains("'2026'");
        }
    }

    @Test
    void anUnknownOptionOfAKnownCommandDoesNotPrintTheTokenEitherWay() {
        for (String[] args : new String[][] {
                {"upload", "photo.raw", "--tokn", TOKEN},
                {"upload", "photo.raw", "--tokn=" + TOKEN},
                {"ls", "--token", TOKEN, "archive/", "extra"},
                {"download", "--token=" + TOKEN, "--if-exist", "rename", "u/me/a.raw"}}) {
            Outcome outcome = skylift(args);

            assertThat(outcome.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(outcome.stderr()).as(String.join(" ", args)).doesNotContain("Zq8vR2kLm4")
                    .containsAnyOf("Unknown option", "Unmatched argument");
        }
    }

    @Test
    void aTokenReadFromAnArgumentFileIsMaskedToo(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("args.txt"), "photo.raw --token " + TOKEN + "\n");

        Outcome outcome = skylift("shar", "@" + file);

        assertThat(outcome.exit()).isEqualTo(2);
        assertThat(outcome.stderr()).doesNotContain("Zq8vR2kLm4").contains("'shar'");
    }

    @Test
    void aTokenTypedWhereNoOptionExpectsItIsMasked() {
        Outcome outcome = skylift("shar", "photo.raw", "-token", TOKEN, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtZSJ9.c2lnbmF0dXJl");

        assertThat(outcome.exit()).isEqualTo(2);
        assertThat(outcome.stderr()).doesNotContain("Zq8vR2kLm4").doesNotContain("eyJzdWIiOiJtZSJ9").contains("'photo.raw'");
    }

    @Test
    void theOptionsOwnValuesStayVisibleWhenTheyAreWrong() {
        Outcome outcome = skylift("upload", "photo.raw", "--token", TOKEN, "--concurrency", "many");

        assertThat(outcome.exit()).isEqualTo(2);
        assertThat(outcome.stderr()).doesNotContain("Zq8vR2kLm4").contains("--concurrency").contains("'many'");
    }

    @Test
    void noOtherOptionOfAnyCommandIsTakenForASecretSoItsValueStaysInTheMessage() {
        List<String> names = new ArrayList<>();
        collectOptionNames(Main.commandLine(), names);

        assertThat(names).contains("--token", "--to", "--json", "--out", "--port");
        assertThat(names.stream().filter(UsageErrorHandler::isSecretOption)).containsOnly("--token");
    }

    static void collectOptionNames(CommandLine command, List<String> names) {
        command.getCommandSpec().options().forEach(option -> names.addAll(List.of(option.names())));
        command.getSubcommands().values().forEach(sub -> collectOptionNames(sub, names));
    }
}
