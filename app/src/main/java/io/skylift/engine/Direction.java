package io.skylift.engine;

/** Which way a transfer's bytes go. */
public enum Direction {
    UPLOAD,
    DOWNLOAD
}
