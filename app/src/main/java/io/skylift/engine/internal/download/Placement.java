package io.skylift.engine.internal.download;

import io.skylift.engine.IfExists;
import io.skylift.engine.TransferException;
import io.skylift.engine.TransferException.Reason;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Where a downloaded file lands: a safe local name, a free one when keeping both, and the final
 * atomic step that never replaces a file the person did not agree to replace. Shared by both routes.
 */
public final class Placement {

    private Placement() {}

    /** The file a download goes to: the wanted name, or a free "name (n).ext" when asked to keep both. */
    public static Path choose(Path wanted, IfExists ifExists) {
        if (!Files.exists(wanted) || ifExists == IfExists.OVERWRITE) {
            return wanted;
        }
        if (ifExists == IfExists.FAIL) {
            throw new TransferException(Reason.EXISTS, wanted + " already exists; it was left untouched. Choose another folder,"
                    + " or say to keep both or replace it.", false);
        }
        String name = wanted.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        for (int n = 1; n < 10_000; n++) {
            Path candidate = wanted.resolveSibling(stem + " (" + n + ")" + extension);
            if (!Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new TransferException(Reason.EXISTS, "Too many copies of " + name + " in " + wanted.getParent() + ".", false);
    }

    // A name from storage becomes a local file name: never a path, never hidden, never a device.
    public static String safeName(String name) {
        String cleaned = name.replaceAll("[\\\\/:*?\"<>|\\p{Cntrl}]", "_").strip();
        while (cleaned.startsWith(".")) {
            cleaned = cleaned.substring(1);
        }
        if (cleaned.isEmpty() || cleaned.toUpperCase(Locale.ROOT).matches("(CON|PRN|AUX|NUL|COM\\d|LPT\\d)(\\..*)?")) {
            cleaned = "download" + (cleaned.isEmpty() ? "" : "-" + cleaned);
        }
        return cleaned;
    }

    /** Moves a verified download into place; never over an existing file unless {@code replace}. */
    public static void move(Path temp, Path destination, boolean replace) throws IOException {
        if (replace) {
            Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        try {
            // A hard link fails if the name is taken: the check and the placing are one atomic step.
            Files.createLink(destination, temp);
            Files.delete(temp);
        } catch (FileAlreadyExistsException e) {
            throw new TransferException(Reason.EXISTS, destination + " appeared while downloading; it was left untouched and the"
                    + " download kept as " + temp.getFileName() + ".", false, e);
        } catch (UnsupportedOperationException | IOException noLinks) {
            if (Files.exists(destination)) {
                throw new TransferException(Reason.EXISTS, destination + " appeared while downloading; it was left untouched.", false);
            }
            Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** True when a download failed because of the object or its target, not because of who asks. */
    public static boolean endsTheDownload(TransferException why) {
        return switch (why.reason()) {
            case REMOTE_CHANGED, NOT_FOUND, VERIFICATION, EXISTS, BAD_REQUEST -> true;
            default -> false;
        };
    }

    /** Removes a download's partial file; one that cannot be removed is left for the person (the journal forgets it). */
    public static void deletePartial(String temp) {
        try {
            Files.deleteIfExists(Path.of(temp));
        } catch (IOException e) {
            // Left behind, hidden beside the target; nothing points at it any more.
        }
    }
}
