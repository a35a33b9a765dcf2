package io.skylift.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class ExpiryTest {

    final Expiry converter = new Expiry();

    @ParameterizedTest(name = "\"{0}\" = {1}")
    @CsvSource(delimiter = '|', value = {
        "30m   | PT30M",
        "1m    | PT1M",
        "12h   | PT12H",
        "7d    | PT168H",
        "30d   | PT720H",
        "2w    | PT336H",
        " 7d   | PT168H",
        "31d   | PT744H"})
    void minutesHoursDaysAndWeeksAreUnderstoodAndTheServiceJudgesTheLength(String text, Duration expected) {
        assertThat(converter.convert(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"7", "d", "7 days", "7D", "30M", "1.5d", "-1d", "0d", "7x", "", "1s", "9999999d", "P7D", "7d12h"})
    void anythingElseIsRefusedSayingHowToWriteAnExpiry(String text) {
        assertThatThrownBy(() -> converter.convert(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("'" + text + "' is not an expiry; write a number and a unit: 30m (minutes), 12h (hours), 7d (days) or 2w (weeks)");
    }

    @Test
    void aBadExpiryOnTheCommandLineIsBadUsageBeforeAnythingIsAsked() {
        StringWriter err = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute("share", "u/me/a.jpg", "--expires", "7 days");

        assertThat(exit).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--expires").contains("'7 days' is not an expiry").contains("7d (days)");
    }
}
