package io.skylift.engine;

import java.util.List;

/**
 * What a move did: from where to where, how many files and bytes moved, and, for a folder, the files
 * that did not move, each with why (they stay where they were). Immutable.
 *
 * <pre>{@code
 * Move m = engine.files().move("u/me/2026/IMG_1.CR3", "u/me/2026/best/");   // into a folder, keeping its name
 * }</pre>
 *
 * @param to the key the file became; for a folder, the folder ('/' at the end)
 */
public record Move(String from, String to, long files, long bytes, List<FileFailure> failed) {

    public Move {
        failed = List.copyOf(failed);
    }
}
