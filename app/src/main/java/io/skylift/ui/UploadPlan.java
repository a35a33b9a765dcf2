package io.skylift.ui;

import io.skylift.engine.FolderFile;
import io.skylift.engine.NumberedName;
import io.skylift.engine.RemoteEntry;
import io.skylift.engine.Transfer;
import io.skylift.engine.TransferEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What dropping or picking files and folders will upload: every file with the remote folder it
 * lands in, and which of them would meet a name already taken there, so the window can ask once
 * for the whole drop. Storage never replaces a file, so a taken name is either skipped or kept
 * beside the new one under a numbered name. Blocking (it lists storage): never on the JavaFX thread.
 */
final class UploadPlan {

    private record Item(Path file, String folder) {
        String name() {
            return file.getFileName().toString();
        }
    }

    private final List<Item> items;
    private final Map<String, Set<String>> takenByFolder;

    private UploadPlan(List<Item> items, Map<String, Set<String>> takenByFolder) {
        this.items = items;
        this.takenByFolder = takenByFolder;
    }

    /** Reads the dropped folders and lists only the remote folders the drop writes into. */
    static UploadPlan of(List<Path> paths, String folder, String home, TransferEngine engine) {
        List<Item> items = new ArrayList<>();
        Map<String, Set<String>> taken = new HashMap<>();
        if (paths.stream().anyMatch(Files::isRegularFile)) {
            taken.put(folder, new HashSet<>(filesUnder(engine, home + prefix(folder), true).stream().map(RemoteEntry::name).toList()));
        }
        for (Path path : paths) {
            if (Files.isRegularFile(path)) {
                items.add(new Item(path, folder));
            } else if (Files.isDirectory(path)) {
                String top = join(folder, path.getFileName().toString());
                // One flat listing of everything under the folder's remote twin, grouped by sub-folder.
                for (RemoteEntry file : filesUnder(engine, home + top + "/", false)) {
                    String relative = file.key().substring(home.length());
                    int slash = relative.lastIndexOf('/');
                    taken.computeIfAbsent(relative.substring(0, slash), f -> new HashSet<>()).add(relative.substring(slash + 1));
                }
                FolderFile.in(path, folder).forEach(f -> items.add(new Item(f.file(), f.remoteFolder())));
            }
        }
        return new UploadPlan(items, taken);
    }

    /** Files whose name is already taken where they would land. */
    List<Path> clashing() {
        return items.stream().filter(this::taken).map(Item::file).toList();
    }

    /** Starts every upload; a clashing file is skipped, or kept beside the other under a numbered name. */
    List<Transfer> start(TransferEngine engine, boolean keepBoth) {
        List<Transfer> started = new ArrayList<>();
        for (Item item : items) {
            if (!taken(item)) {
                started.addAll(engine.upload(item.file(), item.folder()));
            } else if (keepBoth) {
                started.add(engine.uploadAs(item.file(), item.folder(), freeName(item.name(), takenByFolder.get(item.folder()))));
            }
        }
        return started;
    }

    private boolean taken(Item item) {
        return takenByFolder.getOrDefault(item.folder(), Set.of()).contains(item.name());
    }

    /** "IMG_0001.CR3" becomes "IMG_0001 (1).CR3", or the next number not in {@code taken} (which learns it). */
    static String freeName(String name, Set<String> taken) {
        for (int n = 1; ; n++) {
            String candidate = NumberedName.of(name, n);
            if (taken.add(candidate)) {
                return candidate;
            }
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
