package io.skylift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.skylift.sandbox.Sandbox;
import io.skylift.testing.RandomFile;
import io.skylift.testing.SandboxBucket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * A case archived to Glacier, as a support person meets it: {@code skylift ls} says Archived, a
 * download says to restore it first and how, {@code skylift restore} asks for it, and once the
 * sandbox's storage finished the restore (seconds, where S3 takes hours) it downloads intact.
 */
class ArchivedFileIT {

    static final String CASE = "archives/cold-case/";

    @TempDir
    static Path dir;
    static Sandbox sandbox;
    static S3Client bucket;
    static Map<String, String> staff;
    static Map<String, String> photographer;
    static Path zip;

    @BeforeAll
    static void start() throws IOException {
        sandbox = Sandbox.start(new Sandbox.Settings(0, Optional.of(dir.resolve("sandbox")), Duration.ofSeconds(300)));
        sandbox.archive().restoreDelay(Duration.ofSeconds(1));
        bucket = SandboxBucket.client(sandbox);
        zip = RandomFile.write(dir, "case-9.zip", 700_000, 9);
        bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key(CASE + "case-9.zip").storageClass(StorageClass.GLACIER)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32_C), RequestBody.fromFile(zip));
        bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key(CASE + "logs/node-1.log").storageClass(StorageClass.DEEP_ARCHIVE),
                RequestBody.fromString("a deep log"));
        bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key(CASE + "README.txt"), RequestBody.fromString("read me now"));
        String api = sandbox.info().api().toString();
        staff = Map.of("SKYLIFT_API", api, "SKYLIFT_TOKEN", sandbox.info().staffToken(), "SKYLIFT_DATA_DIR", dir.resolve("staff").toString());
        photographer = Map.of("SKYLIFT_API", api, "SKYLIFT_TOKEN", sandbox.info().photographerToken(),
                "SKYLIFT_DATA_DIR", dir.resolve("photographer").toString());
    }

    @AfterAll
    static void stop() {
        bucket.close();
        sandbox.close();
    }

    static String stateOf(String key) throws Exception {
        for (String line : SkyliftProcess.run(staff, "ls", "-r", "--json", CASE).stdout()) {
            JsonNode entry = FolderCrashResumeIT.JSON.readTree(line);
            if (entry.get("key").asText().equals(key)) {
                return entry.get("archive").isNull() ? "none" : entry.get("archive").get("state").asText();
            }
        }
        throw new AssertionError(key + " is not listed");
    }

    @Test
    void anArchivedFileIsShownAsSuchRefusedWithHowToRestoreItAndDownloadsIntactOnceRestored() throws Exception {
        var listed = SkyliftProcess.run(staff, "ls", "-r", CASE);
        assertThat(listed.exit()).as(listed.stderr()).isZero();
        assertThat(listed.stdout()).anySatisfy(l -> assertThat(l).contains(CASE + "case-9.zip  (Archived)"))
                .anySatisfy(l -> assertThat(l).endsWith(CASE + "README.txt"));

        Path out = Files.createDirectories(dir.resolve("out"));
        var refused = SkyliftProcess.run(staff, "download", CASE + "case-9.zip", "--out", out.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.stderr()).contains("case-9.zip is archived", "skylift restore " + CASE + "case-9.zip", "48");
        assertThat(out.resolve("case-9.zip")).doesNotExist();

        var folder = SkyliftProcess.run(staff, "download", CASE, "--out", out.toString());
        assertThat(folder.exit()).as("the archived files of the folder are refused").isEqualTo(1);
        assertThat(folder.stderr()).contains("restore it first").contains("2 files were not downloaded because they are archived");
        assertThat(out.resolve("cold-case/README.txt")).as("the folder's file that is not archived comes down").hasContent("read me now");

        var restore = SkyliftProcess.run(staff, "restore", CASE, "--days", "2", "--tier", "bulk");
        assertThat(restore.exit()).as(restore.stderr()).isZero();
        assertThat(restore.stdout()).as("the archived files, not the one that downloads now")
                .containsExactlyInAnyOrder(CASE + "case-9.zip  (Restoring\u2026)", CASE + "logs/node-1.log  (Restoring\u2026)");

        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!stateOf(CASE + "case-9.zip").equals("restored")) {
            assertThat(System.nanoTime()).as("restored within a minute").isLessThan(deadline);
        }
        assertThat(SkyliftProcess.run(staff, "ls", "-r", CASE).stdout())
                .anySatisfy(l -> assertThat(l).contains(CASE + "case-9.zip  (Restored until "));

        var restored = SkyliftProcess.run(staff, "download", CASE + "case-9.zip", "--out", out.toString());
        assertThat(restored.exit()).as(restored.stderr()).isZero();
        assertThat(Files.mismatch(out.resolve("case-9.zip"), zip)).as("the restored copy, byte for byte").isEqualTo(-1);
    }

    @Test
    void onlyStaffRestoreAndOnlyWhatIsArchived() throws Exception {
        var notStaff = SkyliftProcess.run(photographer, "restore", CASE + "case-9.zip");
        assertThat(notStaff.exit()).isEqualTo(1);
        assertThat(notStaff.stderr()).contains("KEY_FORBIDDEN").doesNotContain("Exception");

        var notArchived = SkyliftProcess.run(staff, "restore", CASE + "README.txt");
        assertThat(notArchived.exit()).isEqualTo(1);
        assertThat(notArchived.stderr()).contains("NOT_ARCHIVED");

        var badDays = SkyliftProcess.run(staff, "restore", CASE + "case-9.zip", "--days", "0");
        assertThat(badDays.exit()).as("bad usage").isEqualTo(2);
        assertThat(badDays.stderr()).contains("--days must be from 1 to 365");
    }
}
