package io.skylift.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A file of a folder upload and the remote folder it lands in.
 *
 * <pre>{@code
 * FolderFile.in(Path.of("/shoots/wedding"), "2026")   // wedding/a.CR3 → "2026/wedding", wedding/raw/b.CR3 → "2026/wedding/raw"
 * }</pre>
 */
public record FolderFile(Path file, String remoteFolder) {

    /**
     * Where uploading {@code source} into {@code base} puts each of its files: the folder itself
     * becomes a remote folder, and paths below it are kept. Sorted, so a queue shows them in order.
     */
    public static List<FolderFile> in(Path source, String base) {
        return in(source, base, Exclusions.NONE);
    }

    /** As {@link #in(Path, String)}, leaving out the files {@code exclusions} names. */
    public static List<FolderFile> in(Path source, String base, Exclusions exclusions) {
        String top = join(base == null ? "" : base.replaceAll("/+$", ""), source.getFileName().toString());
        try (Stream<Path> files = Files.walk(source)) {
            return files.filter(Files::isRegularFile).filter(file -> !exclusions.excludes(source.relativize(file)))
                    .sorted(Comparator.naturalOrder()).map(file -> {
                Path relative = source.relativize(file.getParent());
                return new FolderFile(file, relative.toString().isEmpty() ? top : join(top, relative.toString().replace('\\', '/')));
            }).toList();
        } catch (IOException e) {
            throw new TransferException(TransferException.Reason.LOCAL_IO, "Cannot read the folder " + source + ": " + e.getMessage(), false, e);
        }
    }

    private static String join(String folder, String name) {
        return folder.isEmpty() ? name : folder + "/" + name;
    }
}
