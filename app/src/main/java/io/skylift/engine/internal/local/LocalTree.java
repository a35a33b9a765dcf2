package io.skylift.engine.internal.local;

import io.skylift.engine.TransferException;
import io.skylift.engine.TransferException.Reason;
import io.skylift.engine.internal.download.Placement;
import java.nio.file.Path;

/**
 * Where a downloaded remote folder lands on this computer: a new folder named after the remote one
 * (its name made safe, as a single file's is), and below it the same tree as stored, segment by
 * segment. A segment that cannot be a local name as it is ("..", ".", an empty one, or one
 * {@link Placement#safeName} would change: a path character, a control or invisible character, a
 * device name, a name too long) is never rewritten, since two keys could then land on one file: that
 * file is refused. Dotfiles are kept: they land inside the new folder, never beside it. Stateless.
 *
 * <pre>{@code
 * Path top = LocalTree.top(Path.of("/photos"), "u/me/2026/wedding/");   // /photos/wedding
 * LocalTree.place(top, "raw/IMG_1.CR3", key);                            // /photos/wedding/raw/IMG_1.CR3
 * }</pre>
 */
public final class LocalTree {

    private LocalTree() {}

    /** The folder a download of the remote folder {@code folderKey} ("…/name/") makes inside {@code into}. */
    public static Path top(Path into, String folderKey) {
        String trimmed = folderKey.replaceAll("/+$", "");
        return into.resolve(Placement.safeName(trimmed.substring(trimmed.lastIndexOf('/') + 1)));
    }

    /**
     * The local file for {@code key}, whose path below the remote folder is {@code relative}.
     *
     * @throws TransferException (BAD_REQUEST) naming the key and the segment that cannot be a local name
     */
    public static Path place(Path top, String relative, String key) {
        Path at = top;
        for (String segment : relative.split("/", -1)) {
            String why = unusable(segment);
            if (why != null) {
                throw new TransferException(Reason.BAD_REQUEST, key + " was not downloaded: its path holds " + why
                        + ", which cannot be a local file or folder name as it is (another tool stored it so). The folder's"
                        + " other files are downloaded; rename this one in storage to download it.", false);
            }
            at = at.resolve(segment);
        }
        // Checked above segment by segment; this says the same of the whole path, whatever the platform's rules.
        if (at.equals(top) || !at.normalize().startsWith(top.normalize())) {
            throw new TransferException(Reason.BAD_REQUEST, key + " was not downloaded: its path leads outside " + top + ".", false);
        }
        return at;
    }

    // Null when usable as it is; else what is wrong, for a message.
    private static String unusable(String segment) {
        if (segment.isEmpty()) {
            return "an empty name (two slashes in a row)";
        }
        String visible = segment.replaceFirst("^\\.+", "");
        if (visible.isEmpty() || !Placement.safeName(visible).equals(visible)) {
            return "the name \"" + segment + "\"";
        }
        return null;
    }
}
