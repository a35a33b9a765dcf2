package io.skylift.engine;

import java.util.Objects;

/**
 * How an upload treats names already taken and which files of a folder it leaves out.
 *
 * <pre>{@code
 * engine.upload(Path.of("shoot"), "2026", new UploadOptions(IfExists.RENAME, Exclusions.of(List.of(".DS_Store"))));
 * }</pre>
 *
 * @param ifExists   when another file holds a name: FAIL (the default), SKIP or RENAME; a file stored
 *                   with the same bytes is done whichever is chosen
 * @param exclusions files of a folder to leave out
 */
public record UploadOptions(IfExists ifExists, Exclusions exclusions) {

    public static final UploadOptions DEFAULT = new UploadOptions(IfExists.FAIL, Exclusions.NONE);

    public UploadOptions {
        Objects.requireNonNull(ifExists, "ifExists");
        Objects.requireNonNull(exclusions, "exclusions");
        if (ifExists == IfExists.OVERWRITE) {
            throw new IllegalArgumentException("An upload never replaces a stored file: choose FAIL, SKIP or RENAME");
        }
    }
}
