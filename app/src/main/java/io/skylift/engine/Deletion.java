package io.skylift.engine;

import java.util.List;

/**
 * What a delete did, or would do ({@link RemoteFiles#previewDelete}): how many files and bytes, and
 * the files it could not delete, each with why. Immutable.
 *
 * <pre>{@code
 * Deletion d = engine.files().delete(List.of("u/me/old shoot/"));
 * System.out.println(d.files() + " files deleted, " + d.failed().size() + " refused");
 * }</pre>
 */
public record Deletion(long files, long bytes, List<FileFailure> failed) {

    public Deletion {
        failed = List.copyOf(failed);
    }
}
