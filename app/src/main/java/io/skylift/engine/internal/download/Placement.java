package io.skylift.engine.internal.download;

import io.skylift.engine.IfExists;
import io.skylift.engine.NumberedName;
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
        for (int n = 1; n < 10_000; n++) {
            Path candidate = wanted.resolveSibling(NumberedName.of(name, n));
            if (!Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new TransferException(Reason.EXISTS, "Too many copies of " + name + " in " + wanted.getParent() + ".", false);
    }

    /**
     * The longest local name a download takes, in UTF-8 bytes: file systems allow 255, and a kept
     * copy's " (9999)" must still fit.
     */
    public static final int MAX_NAME_BYTES = 240;

    // Windows' device names, which no file may take even with an extension; the superscript digits
    // count as digits there.
    private static final java.util.regex.Pattern DEVICE =
            java.util.regex.Pattern.compile("(CON|PRN|AUX|NUL|COM[0-9\u00B9\u00B2\u00B3]|LPT[0-9\u00B9\u00B2\u00B3]|CONIN\\$|CONOUT\\$)(\\..*)?");

    /**
     * A name from storage as a local file name: never a path, never hidden, never a device, no
     * control characters (C0 and C1: replaced) and no invisible format characters such as bidi
     * overrides (dropped: they make a name read as another), no trailing dots or spaces (Windows
     * drops them), and at most {@link #MAX_NAME_BYTES}, shortened keeping its extension.
     */
    public static String safeName(String name) {
        String cleaned = name.replaceAll("\\p{Cf}", "")
                .replaceAll("[\\\\/:*?\"<>|\\x00-\\x1F\\x7F-\\x9F]", "_")
                .strip()
                .replaceAll("[. ]+$", "");
        while (cleaned.startsWith(".")) {
            cleaned = cleaned.substring(1);
        }
        if (cleaned.isEmpty() || DEVICE.matcher(cleaned.toUpperCase(Locale.ROOT)).matches()) {
            cleaned = "download" + (cleaned.isEmpty() ? "" : "-" + cleaned);
        }
        return shortened(cleaned);
    }

    // Cut at a character boundary, keeping a short extension ("….cr3") so the file still opens.
    private static String shortened(String name) {
        if (utf8Length(name) <= MAX_NAME_BYTES) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 && utf8Length(name.substring(dot)) <= 16 ? name.substring(dot) : "";
        String stem = extension.isEmpty() ? name : name.substring(0, dot);
        int room = MAX_NAME_BYTES - utf8Length(extension) - utf8Length("…");
        StringBuilder kept = new StringBuilder();
        for (int i = 0, used = 0; i < stem.length(); ) {
            int codePoint = stem.codePointAt(i);
            int bytes = utf8Length(Character.toString(codePoint));
            if (used + bytes > room) {
                break;
            }
            kept.appendCodePoint(codePoint);
            used += bytes;
            i += Character.charCount(codePoint);
        }
        return kept.toString().strip() + "…" + extension;
    }

    private static int utf8Length(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /**
     * The partial file of download {@code id} in {@code folder}: hidden, and as short as the id
     * allows whatever the file's name, so a name that fits the disk always leaves room for it.
     */
    public static Path partialFile(Path folder, String id) {
        return folder.resolve(".skylift-" + id + ".part");
    }

    /**
     * Whether {@code there} is a regular file (not a link) of {@code size} bytes: the first look before
     * a downloaded folder's file is compared with the stored one, which reads it only when this holds.
     */
    public static boolean sameSize(Path there, long size) throws IOException {
        return Files.isRegularFile(there, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.size(there) == size;
    }

    /** Whether the file system refused a name for its length: resuming cannot help. */
    public static boolean nameTooLong(IOException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("File name too long") || message.contains("file name is too long")
                || message.contains("filename or extension is too long");
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
            case REMOTE_CHANGED, NOT_FOUND, VERIFICATION, EXISTS, BAD_REQUEST, ARCHIVED -> true;
            // The disk refuses the folder or the name for good (too long, not writable): resuming cannot help.
            case LOCAL_IO -> !why.isRetryable();
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
