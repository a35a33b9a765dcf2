package io.skylift.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skylift.sandbox.Sandbox;
import io.skylift.testing.SandboxBucket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * Deleting and moving one's own files and folders through the engine: what was asked happens, what
 * the service refuses is named file by file with its words, and nothing is ever overwritten.
 */
class RemoteFilesTest {

    static final String HOME = "u/sandbox-photographer/";

    @TempDir
    static Path dir;
    static EngineFixture fixture;
    static S3Client bucket;
    static RemoteFiles files;

    @BeforeAll
    static void start() throws IOException {
        fixture = EngineFixture.start(dir, 5L << 20);
        bucket = SandboxBucket.client(fixture.sandbox);
        files = fixture.engine.files();
    }

    @AfterAll
    static void stop() {
        bucket.close();
        fixture.close();
    }

    static void put(String key, String text) {
        bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key(key).checksumAlgorithm(ChecksumAlgorithm.CRC32_C), RequestBody.fromString(text));
    }

    static String stored(String key) {
        try {
            return bucket.getObject(b -> b.bucket(Sandbox.BUCKET).key(key), ResponseTransformer.toBytes()).asString(StandardCharsets.UTF_8);
        } catch (NoSuchKeyException gone) {
            return null;
        }
    }

    /** What is stored below {@code prefix}, as key → text. */
    static Map<String, String> under(String prefix) {
        Map<String, String> found = new TreeMap<>();
        bucket.listObjectsV2Paginator(b -> b.bucket(Sandbox.BUCKET).prefix(prefix)).contents().forEach(o -> found.put(o.key(), stored(o.key())));
        return found;
    }

    @Test
    void aFolderAndAFileAreDeletedAsThePreviewSaid() {
        for (int i = 0; i < 7; i++) {
            put(HOME + "old shoot/day" + i % 2 + "/IMG_" + i + ".jpg", "x".repeat(100 + i));
        }
        put(HOME + "stray.jpg", "12345");
        List<String> asked = List.of(HOME + "old shoot/", HOME + "stray.jpg");

        Deletion preview = files.previewDelete(asked);
        assertThat(preview).isEqualTo(new Deletion(8, 7 * 100 + 21 + 5, List.of()));
        assertThat(under(HOME + "old shoot/")).as("a preview deletes nothing").hasSize(7);

        Deletion done = files.delete(asked);

        assertThat(done).isEqualTo(preview);
        assertThat(under(HOME + "old shoot/")).isEmpty();
        assertThat(stored(HOME + "stray.jpg")).isNull();
    }

    @Test
    void aFileStoredInTheFolderAfterItWasCountedIsNotDeletedAndIsNamed() throws InterruptedException {
        put(HOME + "busy/a.jpg", "aaa");
        put(HOME + "busy/b.jpg", "bbbb");
        // Storage's times have whole seconds: count in the next second, and store the late file in the one after.
        java.time.Instant counted = nextSecond(java.time.Instant.now());
        Deletion preview = files.previewDelete(List.of(HOME + "busy/"));
        nextSecond(counted.plusSeconds(1));
        put(HOME + "busy/late.jpg", "a colleague's new file");

        Deletion done = files.delete(List.of(HOME + "busy/"), counted);

        assertThat(preview).isEqualTo(new Deletion(2, 7, List.of()));
        assertThat(done.files()).as("deleted: what was counted").isEqualTo(2);
        assertThat(done.failed()).extracting(FileFailure::key, FileFailure::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(HOME + "busy/late.jpg", "CHANGED_SINCE_COUNTED"));
        assertThat(under(HOME + "busy/")).containsOnlyKeys(HOME + "busy/late.jpg");
    }

    /** Waits until the clock has passed the start of the second after {@code after}; returns that moment. */
    private static java.time.Instant nextSecond(java.time.Instant after) throws InterruptedException {
        java.time.Instant next = after.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);
        while (java.time.Instant.now().isBefore(next)) {
            Thread.sleep(20);
        }
        return java.time.Instant.now();
    }

    @Test
    void aFolderItsSubFolderAndAFileInsideNamedTogetherAreEachDeletedOnce() {
        put(HOME + "overlap/a.jpg", "aaa");
        put(HOME + "overlap/sub/b.jpg", "bbbb");
        put(HOME + "overlap/sub/c.jpg", "ccccc");
        List<String> asked = List.of(HOME + "overlap/", HOME + "overlap/sub/", HOME + "overlap/sub/c.jpg", HOME + "overlap/");

        Deletion preview = files.previewDelete(asked);
        Deletion done = files.delete(asked);

        assertThat(preview).isEqualTo(new Deletion(3, 12, List.of()));
        assertThat(done).isEqualTo(preview);
        assertThat(under(HOME + "overlap/")).isEmpty();
    }

    @Test
    void aDeleteNamesEachKeyItCouldNotDeleteInTheServicesWordsAndDeletesTheRest() {
        put(HOME + "mixed/mine.jpg", "mine");
        put("u/someone-else/theirs.jpg", "theirs");
        List<String> asked = List.of(HOME + "mixed/mine.jpg", HOME + "mixed/typo.jpg", "u/someone-else/theirs.jpg",
                "archives/welcome/README.txt", HOME + "mixed/../../someone-else/theirs.jpg");

        Deletion done = files.delete(asked);

        assertThat(done.files()).isEqualTo(1);
        assertThat(stored(HOME + "mixed/mine.jpg")).isNull();
        assertThat(done.failed()).extracting(FileFailure::key).containsExactlyInAnyOrderElementsOf(asked.subList(1, asked.size()));
        Map<String, FileFailure> byKey = new TreeMap<>();
        done.failed().forEach(f -> byKey.put(f.key(), f));
        assertThat(byKey.get(HOME + "mixed/typo.jpg").code()).isEqualTo("FILE_NOT_FOUND");
        assertThat(byKey.get("u/someone-else/theirs.jpg").code()).isEqualTo("KEY_FORBIDDEN");
        assertThat(byKey.get("u/someone-else/theirs.jpg").message()).contains("own folder");
        assertThat(byKey.get("archives/welcome/README.txt").code()).isEqualTo("KEY_FORBIDDEN");
        assertThat(byKey.get(HOME + "mixed/../../someone-else/theirs.jpg").message()).contains("'.' or '..'");
        assertThat(stored("u/someone-else/theirs.jpg")).as("another person's file stays").isEqualTo("theirs");
        assertThat(stored("archives/welcome/README.txt")).as("the archive stays").isNotNull();
        assertThat(done.failed()).allSatisfy(f -> assertThat(f.message()).doesNotContainIgnoringCase("x-amz-").doesNotContain("http"));
    }

    @Test
    void aFileMovesUnderItsNewNameOrIntoAFolderKeepingItsName() {
        put(HOME + "mv/IMG_1.jpg", "first");
        put(HOME + "mv/IMG_2.jpg", "second");

        Move renamed = files.move(HOME + "mv/IMG_1.jpg", HOME + "mv/best.jpg");
        Move into = files.move(HOME + "mv/IMG_2.jpg", HOME + "mv/picked/");

        assertThat(renamed).isEqualTo(new Move(HOME + "mv/IMG_1.jpg", HOME + "mv/best.jpg", 1, 5, List.of()));
        assertThat(into.to()).isEqualTo(HOME + "mv/picked/IMG_2.jpg");
        assertThat(under(HOME + "mv/")).isEqualTo(Map.of(HOME + "mv/best.jpg", "first", HOME + "mv/picked/IMG_2.jpg", "second"));
    }

    @Test
    void aMoveNeverReplacesAFileAndAFolderMovesEveryFileThatIsFree() {
        put(HOME + "clash/a.jpg", "mine");
        put(HOME + "clash/b.jpg", "other");
        assertThatThrownBy(() -> files.move(HOME + "clash/a.jpg", HOME + "clash/b.jpg"))
                .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.reason()).isEqualTo(TransferException.Reason.EXISTS));
        assertThat(under(HOME + "clash/")).as("both files as they were").isEqualTo(Map.of(HOME + "clash/a.jpg", "mine", HOME + "clash/b.jpg", "other"));

        for (int i = 0; i < 5; i++) {
            put(HOME + "from/sub/f" + i + ".txt", "file " + i);
        }
        put(HOME + "to/sub/f3.txt", "already there");

        Move moved = files.move(HOME + "from/", HOME + "to/");

        assertThat(moved.files()).isEqualTo(4);
        assertThat(moved.failed()).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo(HOME + "from/sub/f3.txt");
            assertThat(f.code()).isEqualTo("OBJECT_EXISTS");
        });
        assertThat(stored(HOME + "to/sub/f3.txt")).isEqualTo("already there");
        assertThat(under(HOME + "from/")).as("only the file that could not move").containsOnlyKeys(HOME + "from/sub/f3.txt");
        assertThat(under(HOME + "to/")).hasSize(5).containsEntry(HOME + "to/sub/f0.txt", "file 0");
    }

    @Test
    void aFolderCannotMoveIntoItselfAndAnEmptyOneIsNamed() {
        put(HOME + "self/a.txt", "a");
        assertThatThrownBy(() -> files.move(HOME + "self/", HOME + "self/inner/")).isInstanceOf(TransferException.class)
                .hasMessageContaining("into itself");
        assertThatThrownBy(() -> files.move(HOME + "nothing/", HOME + "else/"))
                .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.reason()).isEqualTo(TransferException.Reason.NOT_FOUND));
        assertThat(stored(HOME + "self/a.txt")).isEqualTo("a");
    }

    @Test
    void aFoldersArchivedFilesAreRestoredTheOthersLeftOutAndAskingAgainSaysRestored() {
        fixture.sandbox.archive().restoreDelay(java.time.Duration.ZERO);
        bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key("archives/r/cold.zip").storageClass(StorageClass.GLACIER), RequestBody.fromString("c"));
        bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key("archives/r/deep/cold.log").storageClass(StorageClass.DEEP_ARCHIVE),
                RequestBody.fromString("d"));
        put("archives/r/warm.txt", "w");
        TransferEngine staff = EngineFixture.engine(fixture.sandbox, dir.resolve("staff-journal"), 5L << 20, fixture.sandbox.info().staffToken());
        try {
            List<RestoreState> asked = staff.files().restore(List.of("archives/r/"), 3, RestoreTier.BULK);

            assertThat(asked).extracting(RestoreState::key).containsExactlyInAnyOrder("archives/r/cold.zip", "archives/r/deep/cold.log");
            assertThat(asked).allSatisfy(r -> assertThat(r.state().kind()).isIn(ArchiveState.Kind.RESTORING, ArchiveState.Kind.RESTORED));
            RestoreState again = staff.files().restore(List.of("archives/r/cold.zip"), 3, RestoreTier.BULK).getFirst();
            assertThat(again.state().kind()).as("a restore with no delay is done at once").isEqualTo(ArchiveState.Kind.RESTORED);
            assertThat(again.state().until()).isAfter(java.time.Instant.now());
            assertThatThrownBy(() -> staff.files().restore(List.of("archives/r/warm.txt"), 3, RestoreTier.BULK))
                    .isInstanceOf(TransferException.class).hasMessageContaining("NOT_ARCHIVED");
            assertThatThrownBy(() -> staff.files().restore(List.of("archives/r/cold.zip"), 0, RestoreTier.BULK))
                    .isInstanceOf(IllegalArgumentException.class);
        } finally {
            staff.close();
            fixture.sandbox.archive().restoreDelay(io.skylift.locals3.Archive.DEFAULT_RESTORE_DELAY);
        }
    }

    @Test
    void aRestoreOfMoreArchivedFilesThanTheBoundIsRefusedBeforeAnyIsAskedFor() {
        bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key("archives/big/a.zip").storageClass(StorageClass.GLACIER), RequestBody.fromString("a"));
        bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key("archives/big/b.zip").storageClass(StorageClass.GLACIER), RequestBody.fromString("b"));
        bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key("archives/big/c.zip").storageClass(StorageClass.GLACIER), RequestBody.fromString("c"));
        put("archives/big/warm.txt", "w");
        TransferEngine staff = EngineFixture.engine(fixture.sandbox, dir.resolve("staff-bound-journal"), 5L << 20, fixture.sandbox.info().staffToken());
        staff.maxFolderFiles(2);
        try {
            assertThatThrownBy(() -> staff.files().restore(List.of("archives/big/"), 3, RestoreTier.BULK))
                    .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.reason()).isEqualTo(TransferException.Reason.BAD_REQUEST))
                    .hasMessage("archives/big/ holds more than 2 files; restore its sub-folders one by one.");

            assertThat(staff.list("archives/big/", false, null).entries()).filteredOn(e -> e.key().endsWith(".zip"))
                    .hasSize(3).allSatisfy(e -> assertThat(e.archive().kind()).isEqualTo(ArchiveState.Kind.ARCHIVED));
            assertThat(staff.files().restore(List.of("archives/big/a.zip"), 3, RestoreTier.BULK)).hasSize(1);
        } finally {
            staff.close();
        }
    }

    @Test
    void anotherPersonsFileAndTheArchiveCannotBeMovedIntoOrOutOf() {
        put(HOME + "keep.jpg", "keep");
        assertThatThrownBy(() -> files.move(HOME + "keep.jpg", "u/someone-else/keep.jpg"))
                .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.reason()).isEqualTo(TransferException.Reason.FORBIDDEN))
                .hasMessageContaining("own folder");
        assertThatThrownBy(() -> files.move("archives/welcome/README.txt", HOME + "README.txt"))
                .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.reason()).isEqualTo(TransferException.Reason.FORBIDDEN));
        assertThat(stored(HOME + "keep.jpg")).isEqualTo("keep");
    }
}
