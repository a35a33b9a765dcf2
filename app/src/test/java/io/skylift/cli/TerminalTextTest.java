package io.skylift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Names printed on a terminal cannot steer it or pass for other names. */
class TerminalTextTest {

    @Test
    void controlAndInvisibleFormatCharactersAreShownEscaped() {
        assertThat(TerminalText.of("u/a/\u001B[31mred\u0007.txt")).isEqualTo("u/a/\\u001B[31mred\\u0007.txt");
        assertThat(TerminalText.of("photo\u202Egpj.exe")).isEqualTo("photo\\u202Egpj.exe");
        assertThat(TerminalText.of("a\u0085b\u200Bc")).isEqualTo("a\\u0085b\\u200Bc");
    }

    @Test
    void ordinaryNamesInAnyScriptAreShownAsTheyAre() {
        for (String name : new String[] {"2026-11-22 wedding/IMG_0001.CR3", "Fotos/Überblick ä ö.jpg", "写真/東京.heic",
                "C:\\Users\\alice\\Pictures\\a.jpg", "emoji 📷.png"}) {
            assertThat(TerminalText.of(name)).isEqualTo(name);
        }
    }
}
