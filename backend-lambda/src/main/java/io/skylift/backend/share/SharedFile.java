package io.skylift.backend.share;

/**
 * One row of a share's page.
 *
 * @param path      the file's name below the shared folder ({@code raw/IMG_1.CR3}), or the file's name
 * @param downloads false for a file no link can serve: archived (it must be restored first), or named with
 *                  an empty, '.' or '..' part by another tool
 * @param archived  why it does not download, when it does not
 */
public record SharedFile(String path, long size, boolean downloads, boolean archived) {

    /** A file listed under a share: downloadable unless archived or named so that no link can name it. */
    public static SharedFile of(String path, long size, boolean archived) {
        boolean nameable = java.util.Arrays.stream(path.split("/", -1))
                .noneMatch(s -> s.isEmpty() || s.equals(".") || s.equals("..") || s.indexOf('\0') >= 0);
        return new SharedFile(path, size, nameable && !archived, archived);
    }
}
