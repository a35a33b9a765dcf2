package io.skylift.engine.internal.files;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The keys and folders (ending in '/') one call was given, without those that ask for a file twice.
 * A batch that names a key twice is refused whole by the service, and a folder's files listed twice
 * are counted twice. Stateless and thread-safe.
 *
 * <pre>{@code
 * Selection.outermost(List.of("u/me/a/", "u/me/a/b/", "u/me/a/b/c.jpg", "u/me/x.jpg", "u/me/x.jpg"))
 *         // ["u/me/a/", "u/me/x.jpg"]
 * }</pre>
 */
public final class Selection {

    private Selection() {}

    /** In the order given, each item once: a download places overlapping folders apart, so it keeps them. */
    public static List<String> distinct(List<String> keysOrFolders) {
        return List.copyOf(new LinkedHashSet<>(keysOrFolders));
    }

    /**
     * In the order given, each item once, and none that a folder among them covers already: for
     * deleting and restoring, where a file is the same file whichever argument named it.
     */
    public static List<String> outermost(List<String> keysOrFolders) {
        Set<String> folders = new HashSet<>();
        for (String item : keysOrFolders) {
            if (item.endsWith("/")) {
                folders.add(item);
            }
        }
        List<String> kept = new ArrayList<>();
        for (String item : distinct(keysOrFolders)) {
            if (!insideAnother(item, folders)) {
                kept.add(item);
            }
        }
        return kept;
    }

    // Each folder above the item is a prefix ending at one of its '/' (its own last one excepted): depth lookups, not n².
    private static boolean insideAnother(String item, Set<String> folders) {
        int end = item.endsWith("/") ? item.length() - 1 : item.length();
        for (int slash = item.indexOf('/'); slash >= 0 && slash < end; slash = item.indexOf('/', slash + 1)) {
            if (folders.contains(item.substring(0, slash + 1))) {
                return true;
            }
        }
        return false;
    }
}
