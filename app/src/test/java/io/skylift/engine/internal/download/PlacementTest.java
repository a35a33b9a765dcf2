package io.skylift.engine.internal.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Names from storage become names a local disk takes, that read as what they are. */
class PlacementTest {

    @Test
    void controlCharactersAreReplacedAndInvisibleFormatCharactersDropped() {
        assertThat(Placement.safeName("a\u0001b\u0085c.txt")).isEqualTo("a_b_c.txt");
        // A right-to-left override would show "photo\u202Egpj.exe" as "photoexe.jpg".
        assertThat(Placement.safeName("photo\u202Egpj.exe")).isEqualTo("photogpj.exe");
        assertThat(Placement.safeName("zero\u200Bwidth.jpg")).isEqualTo("zerowidth.jpg");
    }

    @Test
    void windowsDeviceNamesTrailingDotsAndSpacesNeverReachTheDisk() {
        assertThat(Placement.safeName("COM\u00B9")).isEqualTo("download-COM\u00B9");
        assertThat(Placement.safeName("lpt\u00B3.log")).isEqualTo("download-lpt\u00B3.log");
        assertThat(Placement.safeName("CONIN$")).isEqualTo("download-CONIN$");
        assertThat(Placement.safeName("conout$.txt")).isEqualTo("download-conout$.txt");
        assertThat(Placement.safeName("nul.tar.gz")).isEqualTo("download-nul.tar.gz");
        assertThat(Placement.safeName("report. . ")).isEqualTo("report");
        assertThat(Placement.safeName("COM10.txt")).as("not a device").isEqualTo("COM10.txt");
        assertThat(Placement.safeName("...")).isEqualTo("download");
    }

    @Test
    void anOverLongNameIsShortenedAtACharacterKeepingItsExtension() {
        String name = "é".repeat(150) + ".CR3"; // 304 bytes
        String safe = Placement.safeName(name);
        assertThat(safe.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(Placement.MAX_NAME_BYTES);
        assertThat(safe).endsWith("….CR3").startsWith("éé").doesNotContain("\uFFFD");
        String fits = "x".repeat(Placement.MAX_NAME_BYTES - 4) + ".jpg";
        assertThat(Placement.safeName(fits)).isEqualTo(fits);
    }

    @Test
    void thePartialFileNameDoesNotGrowWithTheFileName() {
        var folder = java.nio.file.Path.of("/tmp/x");
        assertThat(Placement.partialFile(folder, "0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d").getFileName().toString())
                .isEqualTo(".skylift-0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d.part").hasSizeLessThan(60);
    }
}
