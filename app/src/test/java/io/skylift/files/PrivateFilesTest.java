package io.skylift.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {

    @TempDir
    Path temp;

    static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    static String[] namesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void writeAtomicallyCreatesTheFileWithTheContent() throws IOException {
        Path target = temp.resolve("settings.json");

        PrivateFiles.writeAtomically(target, "{\"workers\":8}".getBytes());

        assertThat(target).hasContent("{\"workers\":8}");
    }

    @Test
    void writeAtomicallyReplacesALongerContentCompletely() throws IOException {
        Path target = temp.resolve("entry.json");
        byte[] longer = new byte[100_000];
        Arrays.fill(longer, (byte) 'x');
        Files.write(target, longer);

        PrivateFiles.writeAtomically(target, "short".getBytes());

        // Nothing of the old, longer content may survive past the new end.
        assertThat(Files.readAllBytes(target)).isEqualTo("short".getBytes());
    }

    @Test
    void writeAtomicallyCanWriteAnEmptyFile() throws IOException {
        Path target = temp.resolve("empty");
        Files.writeString(target, "old");

        PrivateFiles.writeAtomically(target, new byte[0]);

        assertThat(target).isEmptyFile();
    }

    @Test
    void writeAtomicallyLeavesNoTemporaryFileBehind() throws IOException {
        Path target = temp.resolve("entry.json");

        PrivateFiles.writeAtomically(target, "one".getBytes());
        PrivateFiles.writeAtomically(target, "two".getBytes());

        assertThat(namesIn(temp)).containsExactly("entry.json");
    }

    @Test
    void writeAtomicallyOverwritesATemporaryFileLeftByACrash() throws IOException {
        Path target = temp.resolve("entry.json");
        Files.writeString(temp.resolve("entry.json.tmp"), "half-written by a process that died");

        PrivateFiles.writeAtomically(target, "whole".getBytes());

        assertThat(target).hasContent("whole");
        assertThat(namesIn(temp)).containsExactly("entry.json");
    }

    @Test
    void writeAtomicallyMakesANewFileOwnerOnly() throws IOException {
        assumeTrue(posix(), "POSIX permissions");
        Path target = temp.resolve("secret.json");

        PrivateFiles.writeAtomically(target, "{}".getBytes());

        assertThat(permissions(target)).isEqualTo("rw-------");
    }

    @Test
    void writeAtomicallyMakesAReplacedWorldReadableFileOwnerOnly() throws IOException {
        assumeTrue(posix(), "POSIX permissions");
        Path target = temp.resolve("secret.json");
        Files.writeString(target, "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw-rw-"));

        PrivateFiles.writeAtomically(target, "new".getBytes());

        assertThat(permissions(target)).isEqualTo("rw-------");
        assertThat(target).hasContent("new");
    }

    @Test
    void createDirectoriesCreatesNestedOwnerOnlyFolders() throws IOException {
        Path deep = temp.resolve("a").resolve("b").resolve("c");

        assertThat(PrivateFiles.createDirectories(deep)).isEqualTo(deep);

        assertThat(deep).isDirectory();
        if (posix()) {
            assertThat(permissions(temp.resolve("a"))).isEqualTo("rwx------");
            assertThat(permissions(temp.resolve("a").resolve("b"))).isEqualTo("rwx------");
            assertThat(permissions(deep)).isEqualTo("rwx------");
        }
    }

    @Test
    void createDirectoriesToleratesFoldersThatAlreadyExist() throws IOException {
        Path existing = Files.createDirectories(temp.resolve("existing"));
        Path file = Files.writeString(existing.resolve("keep.txt"), "keep");

        assertThat(PrivateFiles.createDirectories(existing)).isEqualTo(existing);
        assertThat(PrivateFiles.createDirectories(existing.resolve("new"))).isDirectory();
        assertThat(PrivateFiles.createDirectories(existing.resolve("new"))).isDirectory();

        assertThat(file).hasContent("keep");
        if (posix()) {
            assertThat(permissions(existing.resolve("new"))).isEqualTo("rwx------");
        }
    }

    @Test
    void createDirectoriesToleratesAnotherThreadCreatingTheSameFolderAtTheSameTime() throws Exception {
        int threads = 4;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int round = 0; round < 200; round++) {
                Path dir = temp.resolve("race-" + round).resolve("journal");
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<Path>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return PrivateFiles.createDirectories(dir);
                    }));
                }
                for (Future<Path> result : results) {
                    assertThat(result.get(10, TimeUnit.SECONDS)).isDirectory();
                }
            }
        }
    }

    @Test
    void createDirectoriesLeavesThePermissionsOfAnExistingParentAlone() throws IOException {
        assumeTrue(posix(), "POSIX permissions");
        Path shared = Files.createDirectories(temp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));

        PrivateFiles.createDirectories(shared.resolve("mine"));

        assertThat(permissions(shared)).isEqualTo("rwxr-xr-x");
        assertThat(permissions(shared.resolve("mine"))).isEqualTo("rwx------");
    }

    @Test
    void createDirectoriesRefusesAPathThatIsARegularFile() throws IOException {
        Path file = Files.writeString(temp.resolve("not-a-folder"), "x");

        assertThatThrownBy(() -> PrivateFiles.createDirectories(file)).isInstanceOf(IOException.class);
    }
}
