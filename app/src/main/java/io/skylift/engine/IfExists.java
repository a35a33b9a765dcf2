package io.skylift.engine;

/** What a download does when a file of the same name is already in the target folder. Never silent. */
public enum IfExists {
    /** Stop with an error naming the file (the command line's default). */
    FAIL,
    /** Keep both: the download becomes "name (1).ext". */
    RENAME,
    /** Replace the existing file, atomically, once the download is verified. */
    OVERWRITE
}
