package io.skylift.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skylift.sandbox.Sandbox;
import io.skylift.testing.RandomFile;
import io.skylift.testing.SandboxBucket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.StorageClass;

/** A remote folder comes down as the same tree, once: again it fetches only what is missing, and no name escapes it. */
class FolderDownloadTest {

    static final String HOME = "u/sandbox-photographer/";

    @TempDir
    static Path dir;
    static EngineFixture fixture;
    static S3Client bucket;

    @BeforeAll
    static void start() throws IOException {
        fixture = EngineFixture.start(dir, 5L << 20);
        bucket = SandboxBucket.client(fixture.sandbox);
    }

    @AfterAll
    static void stop() {
        bucket.close();
        fixture.close();
    }

    /** A shoot: files in nested folders, an empty one, a dotfile, and one of several parts. */
    static Path shoot(String name) throws IOException {
        Path shoot = Files.createDirectories(dir.resolve("local-" + name).resolve(name));
        for (int i = 0; i < 12; i++) {
            RandomFile.write(Files.createDirectories(shoot.resolve("day" + i % 3).resolve(i % 2 == 0 ? "raw" : "")),
                    "IMG_%04d.CR3".formatted(i), 3_000 + 977L * i, i);
        }
        RandomFile.write(shoot, ".xmp-sidecar", 321, 40);
        RandomFile.write(shoot, "empty.txt", 0, 41);
        RandomFile.write(Files.createDirectories(shoot.resolve("video")), "clip.mp4", 11L << 20, 42);
        return shoot;
    }

    static List<TransferResult> uploaded(Path folder, String remote) {
        return fixture.engine.upload(folder, remote).stream().map(t -> t.stopped().join()).toList();
    }

    static List<TransferResult> downloaded(List<String> what, Path into) {
        return fixture.engine.download(what, into, IfExists.FAIL).stream().map(t -> t.stopped().join()).toList();
    }

    /** Every file below {@code root}, by its path relative to it, with its bytes' CRC32C. */
    static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                tree.put(root.relativize(file).toString().replace('\\', '/'), io.skylift.engine.internal.checksum.Crc32c.ofFile(file));
            }
        }
        return tree;
    }

    @Test
    void aFolderComesDownAsTheSameTreeWithTheSameBytesAndLeavesNothingBehind() throws IOException {
        Path shoot = shoot("wedding");
        assertThat(uploaded(shoot, "2026")).allSatisfy(r -> assertThat(r.state()).as(r.reason()).isEqualTo(TransferState.DONE));
        Path out = Files.createDirectories(dir.resolve("out-wedding"));

        List<TransferResult> results = downloaded(List.of(HOME + "2026/wedding/"), out);

        assertThat(results).hasSize(15).allSatisfy(r -> {
            assertThat(r.state()).as(r.key() + ": " + r.reason()).isEqualTo(TransferState.DONE);
            assertThat(r.skipped()).isNull();
            assertThat(r.bytesTransferred()).isEqualTo(r.size());
        });
        assertThat(tree(out.resolve("wedding"))).isEqualTo(tree(shoot));
        try (Stream<Path> top = Files.list(out)) {
            assertThat(top).as("one folder, named after the remote one").containsExactly(out.resolve("wedding"));
        }
        assertThat(fixture.engine.unfinished()).as("nothing left in the journal").isEmpty();
    }

    @Test
    void runAgainItFetchesOnlyWhatIsMissingAndLeavesAChangedFileAlone() throws IOException {
        Path shoot = shoot("portraits");
        uploaded(shoot, "2026");
        Path out = Files.createDirectories(dir.resolve("out-portraits"));
        downloaded(List.of(HOME + "2026/portraits/"), out);
        Path local = out.resolve("portraits");
        Files.delete(local.resolve("day1/IMG_0001.CR3"));
        Path mine = local.resolve("day2/raw/IMG_0002.CR3");
        byte[] edited = Files.readAllBytes(mine);
        edited[100] ^= 1;
        Files.write(mine, edited); // the same size, other bytes: not the stored file

        List<TransferResult> again = downloaded(List.of(HOME + "2026/portraits/"), out);

        assertThat(again).hasSize(15);
        for (TransferResult r : again) {
            if (r.key().endsWith("day1/IMG_0001.CR3")) {
                assertThat(r.state()).as(r.reason()).isEqualTo(TransferState.DONE);
                assertThat(r.bytesTransferred()).as("the missing file is fetched").isEqualTo(r.size());
            } else if (r.key().endsWith("day2/raw/IMG_0002.CR3")) {
                assertThat(r.state()).isEqualTo(TransferState.FAILED);
                assertThat(r.cause()).isEqualTo(TransferException.Reason.EXISTS);
                assertThat(r.reason()).contains("IMG_0002.CR3", "already exists");
            } else {
                assertThat(r.state()).as(r.key() + ": " + r.reason()).isEqualTo(TransferState.DONE);
                assertThat(r.skipped()).as(r.key()).isEqualTo(TransferResult.SKIPPED_IDENTICAL);
                assertThat(r.bytesTransferred()).as(r.key()).isZero();
            }
        }
        assertThat(Files.readAllBytes(mine)).as("a different file of the name is never replaced").isEqualTo(edited);
        assertThat(Files.mismatch(local.resolve("day1/IMG_0001.CR3"), shoot.resolve("day1/IMG_0001.CR3"))).isEqualTo(-1);
    }

    @Test
    void aFileStoredWithoutACrc32cCountsAsHereWhenItsSizeMatches() throws IOException {
        // Put by another tool: S3 holds a CRC32 for it, not a CRC32C.
        bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key(HOME + "plain/notes.txt").checksumAlgorithm(ChecksumAlgorithm.CRC32),
                RequestBody.fromString("first notes"));
        Path out = Files.createDirectories(dir.resolve("out-plain"));
        assertThat(downloaded(List.of(HOME + "plain/"), out).getFirst().verifiedBy()).isNotNull();

        TransferResult again = downloaded(List.of(HOME + "plain/"), out).getFirst();

        assertThat(again.state()).as(again.reason()).isEqualTo(TransferState.DONE);
        assertThat(again.skipped()).isEqualTo(TransferResult.SKIPPED_IDENTICAL);
        assertThat(again.verifiedBy()).as("only the size could be compared").isEqualTo(TransferResult.BY_SIZE);
    }

    @Test
    void remoteNamesThatCannotBeLocalNamesAreRefusedOneByOneAndNothingLandsOutsideTheFolder() throws IOException {
        List<String> hostile = List.of(".../y.txt", "dots../x.txt", "back\\slash.txt", "CON/x.txt", "COM1.txt", "trail. ",
                "bidi\u202Etxt.exe", "q?.txt", "col:on.txt");
        for (String name : hostile) {
            bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key(HOME + "hostile/" + name), RequestBody.fromString(name));
        }
        bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key(HOME + "hostile/fine/ok.txt"), RequestBody.fromString("ok"));
        Path out = Files.createDirectories(dir.resolve("out-hostile"));

        List<TransferResult> results = downloaded(List.of(HOME + "hostile/"), out);

        assertThat(results).hasSize(hostile.size() + 1);
        for (TransferResult r : results) {
            if (r.key().endsWith("fine/ok.txt")) {
                assertThat(r.state()).as(r.reason()).isEqualTo(TransferState.DONE);
            } else {
                assertThat(r.state()).as(r.key()).isEqualTo(TransferState.FAILED);
                assertThat(r.cause()).isEqualTo(TransferException.Reason.BAD_REQUEST);
                assertThat(r.reason()).startsWith(r.key() + " was not downloaded").contains("cannot be a local file or folder name");
            }
        }
        try (Stream<Path> everything = Files.walk(out)) {
            assertThat(everything.filter(Files::isRegularFile).toList()).as("only the file that can land safely, where it belongs")
                    .containsExactly(out.resolve("hostile/fine/ok.txt"));
        }
        assertThat(fixture.engine.unfinished()).as("a refusal journals nothing").isEmpty();
    }

    @Test
    void aPreviewCountsFilesBytesAndArchivedOnesWithoutFetching() throws IOException {
        bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key(HOME + "preview/a.bin"), RequestBody.fromBytes(new byte[1000]));
        bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key(HOME + "preview/deep/b.bin"), RequestBody.fromBytes(new byte[2000]));
        bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key(HOME + "preview/cold.bin").storageClass(StorageClass.GLACIER),
                RequestBody.fromBytes(new byte[3000]));
        bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key(HOME + "single.bin"), RequestBody.fromBytes(new byte[5]));

        DownloadPreview preview = fixture.engine.previewDownload(List.of(HOME + "preview/", HOME + "single.bin"));

        assertThat(preview).isEqualTo(new DownloadPreview(4, 6005, 1));
        assertThatThrownBy(() -> fixture.engine.previewDownload(List.of(HOME + "no-such.bin")))
                .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.reason()).isEqualTo(TransferException.Reason.NOT_FOUND));
    }

    @Test
    void aFolderAskedForTwiceInOneCallIsDownloadedOnce() throws IOException {
        bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key(HOME + "twice/a.txt"), RequestBody.fromString("a"));
        Path out = Files.createDirectories(dir.resolve("out-twice"));

        List<TransferResult> results = downloaded(List.of(HOME + "twice/", HOME + "twice/"), out);

        assertThat(results).singleElement().satisfies(r -> assertThat(r.state()).as(r.reason()).isEqualTo(TransferState.DONE));
        assertThat(out.resolve("twice/a.txt")).hasContent("a");
    }

    @Test
    void aFolderOfMoreFilesThanTheBoundIsRefusedBeforeAnythingStartsAndItsSubFoldersComeDown() {
        for (int i = 0; i < 4; i++) {
            int n = i;
            bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key(HOME + "many/sub" + n % 2 + "/f" + n), RequestBody.fromString("f" + n));
        }
        Path out = dir.resolve("out-many");
        fixture.engine.maxFolderFiles(3);
        try {
            assertThatThrownBy(() -> fixture.engine.download(List.of(HOME + "many/"), out, IfExists.FAIL))
                    .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.reason()).isEqualTo(TransferException.Reason.BAD_REQUEST))
                    .hasMessage(HOME + "many/ holds more than 3 files; download its sub-folders one by one.");
            assertThatThrownBy(() -> fixture.engine.download(List.of(HOME + "many/sub0/", HOME + "many/sub1/"), out, IfExists.FAIL))
                    .hasMessage("These folders hold more than 3 files together; download them one at a time.");
            assertThat(out).doesNotExist();
            assertThat(fixture.engine.unfinished()).noneSatisfy(u -> assertThat(u.key()).startsWith(HOME + "many/"));

            List<TransferResult> one = downloaded(List.of(HOME + "many/sub0/"), out);

            assertThat(one).hasSize(2).allSatisfy(r -> assertThat(r.state()).as(r.reason()).isEqualTo(TransferState.DONE));
        } finally {
            fixture.engine.maxFolderFiles(TransferEngine.MAX_FOLDER_FILES);
        }
    }

    @Test
    void aFolderWithNoFilesIsRefusedBeforeAnythingStarts() {
        assertThatThrownBy(() -> fixture.engine.download(List.of(HOME + "nothing-here/"), dir.resolve("out-none"), IfExists.FAIL))
                .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.reason()).isEqualTo(TransferException.Reason.NOT_FOUND))
                .hasMessageContaining("no files under " + HOME + "nothing-here/");
        assertThat(dir.resolve("out-none")).doesNotExist();
    }
}
