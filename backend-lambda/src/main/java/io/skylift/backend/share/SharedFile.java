package io.skylift.backend.share;

/**
 * One row of a share's page.
 *
 * @param path       the file's name below the shared folder ({@code raw/IMG_1.CR3}), or the file's name
 * @param downloads  false for an archived file, which must be restored before anyone can download it
 */
public record SharedFile(String path, long size, boolean downloads) {}
