package io.skylift.engine;

/**
 * What a transfer does when its name is already taken by another file where it lands. Never silent.
 * An upload never replaces a stored file (storage is asked never to), so uploads take FAIL, SKIP and
 * RENAME; downloads take FAIL, RENAME and OVERWRITE. A file already stored with the same bytes is not
 * "another file": an upload of it finishes as already there, whichever is chosen.
 */
public enum IfExists {
    /** Stop with an error naming the file (the command line's default). */
    FAIL,
    /** Keep both: the new one becomes "name (1).ext". */
    RENAME,
    /** Replace the existing file, atomically, once the download is verified. Downloads only. */
    OVERWRITE,
    /** Leave the other file and this one as they are, and report the file as skipped. Uploads only. */
    SKIP
}
