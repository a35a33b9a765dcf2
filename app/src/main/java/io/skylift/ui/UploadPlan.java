package io.skylift.ui;

import io.skylift.engine.Exclusions;
import io.skylift.engine.FolderFile;
import io.skylift.engine.IfExists;
import io.skylift.engine.RemoteEntry;
import io.skylift.engine.Transfer;
import io.skylift.engine.TransferEngine;
import io.skylift.engine.UploadOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What dropping or picking files and folders will upload, and which of the files would meet another
 * file under their name, so the window can ask once for the whole drop. A name held by a file of the
 * same size is not asked about: it is most likely this very file, which the engine then finds
 * identical (same CRC32C) and skips without a word; if it is not, the answer given for the others
 * holds for it too, and without a question it is kept beside the other. Storage never replaces a
 * file, so another file's name is either skipped or kept beside it under a numbered name. Blocking
 * (it lists storage): never on the JavaFX thread.
 */
final class UploadPlan {

    private final List<Path> dropped;
    private final String folder;
    private final List<Path> clashing;

    private UploadPlan(List<Path> dropped, String folder, List<Path> clashing) {
        this.dropped = dropped;
        this.folder = folder;
        this.clashing = clashing;
    }

    /** Reads the dropped folders and lists only the remote folders the drop writes into. */
    static UploadPlan of(List<Path> paths, String folder, String home, TransferEngine engine) {
        // remote folder → stored name → size
        Map<String, Map<String, Long>> stored = new HashMap<>();
        List<FolderFile> files = new ArrayList<>();
        if (paths.stream().anyMatch(Files::isRegularFile)) {
            stored.put(nfc(folder), sizesByName(filesUnder(engine, home + nfc(prefix(folder)), true)));
        }
        for (Path path : paths) {
            if (Files.isRegularFile(path)) {
                files.add(new FolderFile(path, folder));
            } else if (Files.isDirectory(path)) {
                String top = nfc(join(folder, path.getFileName().toString()));
                // One flat listing of everything under the folder's remote twin, grouped by sub-folder.
                for (RemoteEntry file : filesUnder(engine, home + top + "/", false)) {
                    String relative = file.key().substring(home.length());
                    int slash = relative.lastIndexOf('/');
                    stored.computeIfAbsent(relative.substring(0, slash), f -> new HashMap<>()).put(relative.substring(slash + 1), file.size());
                }
                files.addAll(FolderFile.in(path, folder));
            }
        }
        List<Path> clashing = new ArrayList<>();
        for (FolderFile file : files) {
            Long size = stored.getOrDefault(nfc(file.remoteFolder()), Map.of()).get(nfc(file.file().getFileName().toString()));
            if (size != null && size != sizeOf(file.file())) {
                clashing.add(file.file());
            }
        }
        return new UploadPlan(List.copyOf(paths), folder, clashing);
    }

    /** Files whose name another file holds where they would land (one of another size). */
    List<Path> clashing() {
        return clashing;
    }

    /**
     * Starts every upload, journaled together; a file whose name another file holds is skipped, or kept
     * beside the other under a numbered name; one stored identically is done at once.
     */
    List<Transfer> start(TransferEngine engine, boolean keepBoth) {
        var options = new UploadOptions(keepBoth ? IfExists.RENAME : IfExists.SKIP, Exclusions.NONE);
        return engine.upload(dropped.stream().filter(p -> Files.isRegularFile(p) || Files.isDirectory(p)).toList(), folder, options);
    }

    private static Map<String, Long> sizesByName(List<RemoteEntry> entries) {
        Map<String, Long> sizes = new HashMap<>();
        entries.forEach(e -> sizes.put(e.name(), e.size()));
        return sizes;
    }

    // Storage holds names as the backend normalised them (NFC); macOS hands out decomposed ones.
    private static String nfc(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFC);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<RemoteEntry> filesUnder(TransferEngine engine, String prefix, boolean oneLevel) {
        return engine.listAll(prefix, oneLevel).stream().filter(e -> !e.folder()).toList();
    }

    private static String prefix(String folder) {
        return folder.isEmpty() ? "" : folder + "/";
    }

    private static String join(String folder, String name) {
        return folder.isEmpty() ? name : folder + "/" + name;
    }
}
