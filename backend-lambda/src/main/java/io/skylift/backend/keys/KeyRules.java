package io.skylift.backend.keys;

import io.skylift.backend.http.ApiError;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.identity.Role;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * Builds every key the backend writes and checks every key or prefix a client asks to read.
 *
 * <p>A client never sends a key to write: it names a file and an optional folder, and the key is
 * {@code u/<subject>/<folder>/<fileName>}. Names are NFC-normalised so the same name typed on macOS
 * (decomposed) and Windows (composed) gives the same key. Thread-safe.
 */
public final class KeyRules {

    /** S3's order of keys: by UTF-8 bytes, which is code point order (not Java's UTF-16 order). */
    public static final java.util.Comparator<String> S3_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    /** S3's own limit on a key, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;
    private static final String USER_ROOT = "u/";

    private final String archivePrefix;

    /** @param archivePrefix the shared read-only prefix staff may read, ending in '/' */
    public KeyRules(String archivePrefix) {
        this.archivePrefix = archivePrefix;
    }

    public String archivePrefix() {
        return archivePrefix;
    }

    public String ownPrefix(Identity caller) {
        return userPrefix(caller.subject());
    }

    /** The folder every key a user writes lies in: {@code u/<subject>/}. */
    public static String userPrefix(String subject) {
        return USER_ROOT + subject + "/";
    }

    /**
     * The key an upload of {@code fileName} into {@code folder} (may be null or empty) writes.
     *
     * @throws ApiError 400 naming the bad part when a name is unsafe or the key too long
     */
    public String uploadKey(Identity caller, String folder, String fileName) {
        if (fileName == null || fileName.isEmpty()) {
            throw ApiError.badRequest("NAME_INVALID", "fileName is required.");
        }
        String name = Normalizer.normalize(fileName, Normalizer.Form.NFC);
        requireSegment(name, "fileName", true);
        StringBuilder key = new StringBuilder(ownPrefix(caller));
        if (folder != null && !folder.isEmpty()) {
            String normalised = Normalizer.normalize(folder, Normalizer.Form.NFC);
            if (normalised.endsWith("/")) {
                normalised = normalised.substring(0, normalised.length() - 1);
            }
            requirePath(normalised, "folder", true);
            key.append(normalised).append('/');
        }
        key.append(name);
        return requireLength(key.toString());
    }

    /**
     * Checks a key the caller wants to download.
     *
     * @throws ApiError 400 when the key is malformed, 403 when it is outside what the caller may read
     */
    public String readableKey(Identity caller, String key) {
        if (key == null || key.isEmpty()) {
            throw ApiError.badRequest("KEY_INVALID", "key is required.");
        }
        requirePath(key, "key", false);
        requireLength(key);
        if (!mayRead(caller, key)) {
            throw ApiError.forbidden("KEY_FORBIDDEN", "You may not read this file: it is outside your folders.");
        }
        return key;
    }

    /**
     * Checks a key the caller wants to delete, or to move away: a file in the caller's own folder. It is
     * checked as a readable key (it may hold characters Skylift never writes, which other tools can), and
     * then must lie in {@code u/<subject>/}: never the archive, not even for staff, never another user's.
     *
     * @throws ApiError 400 when malformed or a folder (ending in '/'), 403 when outside the caller's own folder
     */
    public String deletableKey(Identity caller, String key, String field) {
        if (key == null || key.isEmpty()) {
            throw ApiError.badRequest("KEY_INVALID", field + " is required.");
        }
        if (key.endsWith("/")) {
            throw ApiError.badRequest("KEY_INVALID", field + " names a folder (it ends in '/'); list the folder and name its files.");
        }
        requirePath(key, field, false);
        requireLength(key);
        if (!key.startsWith(ownPrefix(caller))) {
            throw ApiError.forbidden("KEY_FORBIDDEN", "You may delete only files in your own folder.");
        }
        return key;
    }

    /**
     * Checks a key a move writes: in the caller's own folder, and named as Skylift names what it writes
     * (NFC, no control or text-direction characters, no backslash), as an upload's key is.
     *
     * @return the key, NFC-normalised
     * @throws ApiError 400 when malformed or a folder, 403 when outside the caller's own folder
     */
    public String writableKey(Identity caller, String key, String field) {
        if (key == null || key.isEmpty()) {
            throw ApiError.badRequest("KEY_INVALID", field + " is required.");
        }
        String normalised = Normalizer.normalize(key, Normalizer.Form.NFC);
        if (normalised.endsWith("/")) {
            throw ApiError.badRequest("KEY_INVALID", field + " names a folder (it ends in '/'); a file needs a name.");
        }
        requirePath(normalised, field, true);
        requireLength(normalised);
        if (!normalised.startsWith(ownPrefix(caller))) {
            throw ApiError.forbidden("KEY_FORBIDDEN", "You may move files only within your own folder (" + ownPrefix(caller) + ").");
        }
        return normalised;
    }

    /**
     * The prefix to list for a caller: their own folder when none is given.
     *
     * @throws ApiError 400 when malformed, 403 when outside what the caller may read
     */
    public String listablePrefix(Identity caller, String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return ownPrefix(caller);
        }
        String body = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        requirePath(body, "prefix", false);
        requireLength(prefix);
        if (!mayRead(caller, prefix)) {
            throw ApiError.forbidden("PREFIX_FORBIDDEN",
                    "You may not list this folder; start from " + ownPrefix(caller)
                            + (caller.has(Role.STAFF) ? " or " + archivePrefix : "") + ".");
        }
        return prefix;
    }

    /** True when {@code key} (or a prefix) lies inside the caller's own folder or, for staff, the archive. */
    public boolean mayRead(Identity caller, String key) {
        return key.startsWith(ownPrefix(caller)) || (caller.has(Role.STAFF) && key.startsWith(archivePrefix));
    }

    /** The last segment of a key: what a downloaded file is called by default. */
    public static String fileNameOf(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    /**
     * @param naming true for a name Skylift writes; false for a key it reads or lists, which another
     *               tool may have written with characters Skylift never writes (a control character, a
     *               text-direction mark, a backslash): they disguise nothing S3 does with the key, and
     *               the client escapes them when it shows the name and drops them from local names
     */
    private static void requirePath(String path, String field, boolean naming) {
        if (path.startsWith("/")) {
            throw ApiError.badRequest("NAME_INVALID", field + " must not start with '/'.");
        }
        for (String segment : path.split("/", -1)) {
            requireSegment(segment, field, naming);
        }
    }

    private static void requireSegment(String segment, String field, boolean naming) {
        if (segment.isEmpty()) {
            throw ApiError.badRequest("NAME_INVALID", field + " has an empty part (two '/' in a row or a leading '/').");
        }
        if (segment.equals(".") || segment.equals("..")) {
            throw ApiError.badRequest("NAME_INVALID", field + " must not contain '.' or '..' as a name.");
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '/') {
                throw ApiError.badRequest("NAME_INVALID", field + " must not contain '/'; use folder for folders.");
            }
            if (c == '\\' && naming) {
                throw ApiError.badRequest("NAME_INVALID", field + " must not contain a backslash.");
            }
            if (Character.isISOControl(c) && naming) {
                throw ApiError.badRequest("NAME_INVALID",
                        field + " contains a control character (U+" + String.format("%04X", (int) c) + ").");
            }
            if (isBidiControl(c) && naming) {
                throw ApiError.badRequest("NAME_INVALID",
                        field + " contains a text-direction control (U+" + String.format("%04X", (int) c)
                                + ") that can disguise a file's real name.");
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < segment.length() && Character.isLowSurrogate(segment.charAt(i + 1))) {
                    i++;
                } else {
                    throw ApiError.badRequest("NAME_INVALID", field + " is not valid Unicode text.");
                }
            }
        }
    }

    private static boolean isBidiControl(char c) {
        return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E' || c == '\u200F' || c == '\u061C';
    }

    private static String requireLength(String key) {
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw ApiError.badRequest("KEY_TOO_LONG",
                    "The full name is " + bytes + " bytes in UTF-8; S3 allows " + MAX_KEY_BYTES + ". Use a shorter folder or file name.");
        }
        return key;
    }
}
