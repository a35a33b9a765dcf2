package io.skylift.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class ByteSizeTest {

    final ByteSize converter = new ByteSize();

    @ParameterizedTest(name = "\"{0}\" = {1}")
    @CsvSource(delimiter = '|', value = {
        "64MiB      | 67108864",
        "1GiB       | 1073741824",
        "1.5GB      | 1500000000",
        "5 MiB      | 5242880",
        "64mib      | 67108864",
        "64MB       | 64000000",
        "1KiB       | 1024",
        "1KB        | 1000",
        "2TiB       | 2199023255552",
        "1.5 KiB    | 1536",
        "0          | 0",
        "8M         | 8000000",
        "8Mi        | 8388608"})
    void peoplesWayOfWritingSizesIsUnderstood(String text, long bytes) {
        assertThat(converter.convert(text)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "\"{0}\" = {1}")
    @CsvSource(delimiter = '|', value = {
        "1048576    | 1048576",
        "100B       | 100",
        "5242880    | 5242880",
        "1          | 1"})
    void aPlainNumberOfBytesIsTakenAsBytes(String text, long bytes) {
        assertThat(converter.convert(text)).isEqualTo(bytes);
    }

    @Test
    void surroundingSpacesAreIgnored() {
        assertThat(converter.convert("  64MiB ")).isEqualTo(64L << 20);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lots", "-5MiB", "", "MiB", "5XB", "1,5GB", "5 MiB please", "1e9", "0x100", ".5GB", "5..0MB"})
    void somethingThatIsNotASizeIsRefusedWithAConversionError(String text) {
        assertThatThrownBy(() -> converter.convert(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'" + text + "' is not a size");
    }

    @ParameterizedTest(name = "{0} bytes = \"{1}\"")
    @CsvSource(delimiter = '|', value = {
        "0             | 0 B",
        "1             | 1 B",
        "1023          | 1023 B",
        "1024          | 1.00 KiB",
        "1536          | 1.50 KiB",
        "15360         | 15.0 KiB",
        "153600        | 150 KiB",
        "67108864      | 64.0 MiB",
        "5368709120    | 5.00 GiB",
        "1099511627776 | 1.00 TiB"})
    void sizesArePrintedInBinaryUnitsWithThreeSignificantDigits(long bytes, String text) {
        assertThat(ByteSize.format(bytes)).isEqualTo(text);
    }

    @Test
    void hugeSizesStayInTebibytes() {
        assertThat(ByteSize.format(2048L << 40)).isEqualTo("2048 TiB");
    }

    @Test
    void aFormattedSizeReadsBackAsTheSameSize() {
        assertThat(converter.convert(ByteSize.format(5L << 30))).isEqualTo(5L << 30);
        assertThat(converter.convert(ByteSize.format(64L << 20))).isEqualTo(64L << 20);
    }

    @Test
    void ratesArePrintedInDecimalMegabytesPerSecond() {
        assertThat(ByteSize.rate(12_345_678)).isEqualTo("12.3 MB/s");
        assertThat(ByteSize.rate(0)).isEqualTo("0.0 MB/s");
    }
}
