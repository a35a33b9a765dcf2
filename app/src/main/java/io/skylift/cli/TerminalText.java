package io.skylift.cli;

/**
 * A name from storage as a terminal shows it: control characters (C0, DEL, C1) and invisible
 * format characters (bidi overrides, zero-width marks) written as {@code \u202E}, so a key cannot
 * move the cursor, recolour the screen or read as another name. {@code --json} output is not
 * touched: JSON carries names exactly.
 *
 * <pre>{@code
 * out.println(TerminalText.of(entry.key()));   // "photo\u202Egpj.exe" instead of "photoexe.jpg"
 * }</pre>
 */
final class TerminalText {

    private TerminalText() {}

    static String of(String name) {
        if (name == null) {
            return null;
        }
        StringBuilder shown = new StringBuilder(name.length());
        name.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                shown.append(String.format("\\u%04X", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return shown.toString();
    }
}
