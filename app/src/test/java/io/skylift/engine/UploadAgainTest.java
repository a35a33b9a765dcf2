package io.skylift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.testing.PausedPartWay;
import io.skylift.testing.RandomFile;
import io.skylift.testing.SandboxBucket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Running the same folder upload again finishes the job: what storage holds byte for byte is not sent
 * again, and a name another file holds is refused, skipped or kept beside it, as asked.
 */
class UploadAgainTest {

    static final int PART = 5 * 1024 * 1024;
    static final String HOME = "u/sandbox-photographer/";

    @TempDir
    static Path dir;
    static EngineFixture fixture;
    static S3Client bucket;

    @BeforeAll
    static void start() throws IOException {
        fixture = EngineFixture.start(dir, PART);
        bucket = SandboxBucket.client(fixture.sandbox);
    }

    @AfterAll
    static void stop() {
        bucket.close();
        fixture.close();
    }

    /** A folder of 40 small files in two sub-folders and one file of three parts. */
    static Path shoot(String name) throws IOException {
        Path top = Files.createDirectories(dir.resolve(name));
        for (int i = 0; i < 40; i++) {
            Path sub = Files.createDirectories(top.resolve(i % 2 == 0 ? "jpeg" : "raw"));
            RandomFile.write(sub, "IMG_%04d.%s".formatted(i, i % 2 == 0 ? "jpg" : "cr3"), 1000 + i * 997L, i);
        }
        RandomFile.write(top, "video.mp4", 3L * PART - 123, 99);
        return top;
    }

    static List<TransferResult> run(List<Transfer> transfers) {
        return transfers.stream().map(t -> t.stopped().join()).toList();
    }

    static Map<String, Long> storedUnder(String prefix) {
        return bucket.listObjectsV2Paginator(b -> b.bucket(io.skylift.sandbox.Sandbox.BUCKET).prefix(HOME + prefix)).contents().stream()
                .collect(Collectors.toMap(S3Object::key, S3Object::size));
    }

    static byte[] stored(String key) {
        return bucket.getObject(b -> b.bucket(io.skylift.sandbox.Sandbox.BUCKET).key(HOME + key), ResponseTransformer.toBytes()).asByteArray();
    }

    @Test
    void uploadingTheSameFolderAgainSendsNothingAndEndsDone() throws Exception {
        Path shoot = shoot("again");
        List<TransferResult> first = run(fixture.engine.upload(shoot, "jobs"));
        assertThat(first).allSatisfy(r -> assertThat(r.state()).as(r.reason()).isEqualTo(TransferState.DONE));
        assertThat(first).allSatisfy(r -> assertThat(r.skipped()).isNull());

        List<TransferResult> second = run(fixture.engine.upload(shoot, "jobs"));

        assertThat(second).hasSize(41).allSatisfy(r -> {
            assertThat(r.state()).as(r.reason()).isEqualTo(TransferState.DONE);
            assertThat(r.skipped()).as(r.file()).isEqualTo(TransferResult.SKIPPED_IDENTICAL);
            assertThat(r.bytesTransferred()).as("nothing sent for " + r.file()).isZero();
            assertThat(r.verifiedBy()).isEqualTo(TransferResult.BY_CRC32C);
        });
        assertThat(second.stream().map(TransferResult::key)).containsExactlyInAnyOrderElementsOf(first.stream().map(TransferResult::key).toList());
        assertThat(storedUnder("jobs/again/")).as("each file stored once, no copies").hasSize(41);
        assertThat(fixture.engine.unfinished()).isEmpty();
    }

    @Test
    void aNameHeldByAnotherFileIsRefusedByDefaultAndTheRestFinish() throws Exception {
        Path shoot = shoot("refused");
        run(fixture.engine.upload(shoot, "jobs"));
        Path changed = shoot.resolve("jpeg/IMG_0002.jpg");
        Files.write(changed, new byte[] {1, 2, 3}); // another file now, under the same name
        RandomFile.write(shoot, "video.mp4", 3L * PART - 123, 7); // same size, other bytes

        List<TransferResult> again = run(fixture.engine.upload(shoot, "jobs"));

        var failed = again.stream().filter(r -> r.state() != TransferState.DONE).toList();
        assertThat(failed).extracting(r -> Path.of(r.file()).getFileName().toString()).containsExactlyInAnyOrder("IMG_0002.jpg", "video.mp4");
        assertThat(failed).allSatisfy(r -> {
            assertThat(r.state()).isEqualTo(TransferState.FAILED);
            assertThat(r.cause()).isEqualTo(TransferException.Reason.EXISTS);
            assertThat(r.reason()).contains("already stored there").contains("not replaced");
        });
        assertThat(failed.stream().filter(r -> r.file().endsWith("video.mp4")).findFirst().orElseThrow().reason()).contains("same size");
        assertThat(again).filteredOn(r -> r.state() == TransferState.DONE).hasSize(39)
                .allSatisfy(r -> assertThat(r.skipped()).isEqualTo(TransferResult.SKIPPED_IDENTICAL));
        assertThat(stored("jobs/refused/jpeg/IMG_0002.jpg")).as("the stored file was left as it was").hasSize(1000 + 2 * 997);
        assertThat(fixture.engine.unfinished()).as("a refused file leaves nothing to resume").isEmpty();
    }

    @Test
    void skipLeavesTheOtherFileAndReportsTheSkip() throws Exception {
        Path shoot = shoot("skipped");
        run(fixture.engine.upload(shoot, "jobs"));
        Files.write(shoot.resolve("raw/IMG_0003.cr3"), new byte[] {9});

        List<TransferResult> again = run(fixture.engine.upload(shoot, "jobs", new UploadOptions(IfExists.SKIP, Exclusions.NONE)));

        assertThat(again).allSatisfy(r -> assertThat(r.state()).as(r.reason()).isEqualTo(TransferState.DONE));
        assertThat(again).filteredOn(r -> r.file().endsWith("IMG_0003.cr3")).singleElement()
                .satisfies(r -> assertThat(r.skipped()).isEqualTo(TransferResult.SKIPPED_EXISTS));
        assertThat(stored("jobs/skipped/raw/IMG_0003.cr3")).hasSize(1000 + 3 * 997);
        assertThat(storedUnder("jobs/skipped/")).hasSize(41);
    }

    @Test
    void renameKeepsBothUnderTheNextFreeNumberedName() throws Exception {
        Path shoot = shoot("renamed");
        run(fixture.engine.upload(shoot, "jobs"));
        Files.write(shoot.resolve("raw/IMG_0005.cr3"), new byte[] {5, 5});
        var options = new UploadOptions(IfExists.RENAME, Exclusions.NONE);
        run(fixture.engine.upload(shoot, "jobs", options));
        Files.write(shoot.resolve("raw/IMG_0005.cr3"), new byte[] {5, 5, 5});

        List<TransferResult> third = run(fixture.engine.upload(shoot, "jobs", options));

        assertThat(third).allSatisfy(r -> assertThat(r.state()).as(r.reason()).isEqualTo(TransferState.DONE));
        assertThat(third).filteredOn(r -> r.skipped() == null).singleElement()
                .satisfies(r -> assertThat(r.key()).isEqualTo(HOME + "jobs/renamed/raw/IMG_0005 (2).cr3"));
        assertThat(stored("jobs/renamed/raw/IMG_0005.cr3")).hasSize(1000 + 5 * 997);
        assertThat(stored("jobs/renamed/raw/IMG_0005 (1).cr3")).containsExactly(5, 5);
        assertThat(stored("jobs/renamed/raw/IMG_0005 (2).cr3")).containsExactly(5, 5, 5);
    }

    @Test
    void excludedFilesAndFoldersAreLeftOut() throws Exception {
        Path shoot = shoot("excluded");
        Files.write(shoot.resolve(".DS_Store"), new byte[] {0});
        Files.write(shoot.resolve("raw/IMG_0001.xmp"), new byte[] {1});
        Path cache = Files.createDirectories(shoot.resolve("jpeg/cache"));
        Files.write(cache.resolve("thumb.jpg"), new byte[] {2});

        var options = new UploadOptions(IfExists.FAIL, Exclusions.of(List.of(".DS_Store", "*.xmp", "cache", "raw/IMG_001?.cr3")));
        List<TransferResult> results = run(fixture.engine.upload(shoot, "jobs", options));

        assertThat(results).allSatisfy(r -> assertThat(r.state()).as(r.reason()).isEqualTo(TransferState.DONE));
        assertThat(storedUnder("jobs/excluded/").keySet()).hasSize(41 - 5)
                .noneMatch(k -> k.endsWith(".DS_Store") || k.endsWith(".xmp") || k.contains("/cache/") || k.matches(".*/raw/IMG_001\\d\\.cr3"));
    }

    @Test
    void aDryRunSaysWhatWouldHappenAndSendsNothing() throws Exception {
        Path shoot = shoot("preview");
        run(fixture.engine.upload(shoot.resolve("jpeg"), "jobs/preview"));
        Files.write(shoot.resolve("jpeg/IMG_0000.jpg"), new byte[] {4}); // taken by another file now
        Map<String, Long> before = storedUnder("jobs/preview/");

        var preview = fixture.engine.previewUpload(shoot, "jobs", new UploadOptions(IfExists.RENAME, Exclusions.NONE));

        Map<UploadPreview.Verdict, Long> verdicts = preview.stream().collect(Collectors.groupingBy(UploadPreview::verdict, Collectors.counting()));
        assertThat(verdicts).containsExactlyInAnyOrderEntriesOf(Map.of(
                UploadPreview.Verdict.ALREADY_STORED, 19L, UploadPreview.Verdict.RENAME, 1L, UploadPreview.Verdict.SEND, 21L));
        assertThat(preview).filteredOn(p -> p.verdict() == UploadPreview.Verdict.RENAME).singleElement()
                .satisfies(p -> assertThat(p.name()).isEqualTo("IMG_0000 (1).jpg"));
        assertThat(storedUnder("jobs/preview/")).as("nothing sent").isEqualTo(before);
        assertThat(fixture.engine.previewUpload(shoot, "jobs", UploadOptions.DEFAULT))
                .filteredOn(p -> p.verdict() == UploadPreview.Verdict.REFUSE).hasSize(1);
    }

    @Test
    void aKeptCopyPausedPartWayContinuesUnderItsNumberedNameWhenAskedAgain() throws Exception {
        Path shoot = Files.createDirectories(dir.resolve("copy-resume"));
        Path video = RandomFile.write(shoot, "video.mp4", 6L * PART, 1);
        run(fixture.engine.upload(video, "jobs"));
        RandomFile.write(shoot, "video.mp4", 6L * PART, 2); // another video now, under the stored name
        var rename = new UploadOptions(IfExists.RENAME, Exclusions.NONE);
        fixture.engine.tune(1, PART, 4_000_000); // one part at a time, so those counted are stored
        try {
            PausedPartWay.after(fixture.engine.upload(video, "jobs", rename).getFirst(), 2L * PART + 1);
        } finally {
            fixture.engine.tune(4, PART, 0);
        }

        List<TransferResult> again;
        // As after a restart: an engine that knows the upload from the journal alone.
        try (TransferEngine restarted = EngineFixture.engine(fixture.sandbox, fixture.journal, PART, fixture.sandbox.info().photographerToken())) {
            again = run(restarted.upload(video, "jobs", rename));
        }

        assertThat(again).singleElement().satisfies(r -> {
            assertThat(r.state()).as(r.reason()).isEqualTo(TransferState.DONE);
            assertThat(r.key()).isEqualTo(HOME + "jobs/video (1).mp4");
            assertThat(r.bytesTransferred()).as("only what the paused copy lacked").isLessThan(6L * PART);
        });
        assertThat(stored("jobs/video (1).mp4")).isEqualTo(Files.readAllBytes(video));
        assertThat(storedUnder("jobs/video")).as("no second copy").hasSize(2);
        assertThat(bucket.listMultipartUploads(b -> b.bucket(io.skylift.sandbox.Sandbox.BUCKET)).uploads())
                .noneMatch(u -> u.key().contains("video"));
    }
}
