package io.skylift.engine;

/**
 * The name of a kept copy, as file managers make it: "IMG_0001.CR3" becomes "IMG_0001 (1).CR3". The
 * extension is everything after the last dot that is not the first character, so ".DS_Store" and
 * "notes" have none. Stateless.
 *
 * <pre>{@code
 * NumberedName.of("IMG_0001.CR3", 2)   // "IMG_0001 (2).CR3"
 * }</pre>
 */
public final class NumberedName {

    private NumberedName() {}

    public static String of(String name, int n) {
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        return stem + " (" + n + ")" + extension;
    }
}
