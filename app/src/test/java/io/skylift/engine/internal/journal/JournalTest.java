package io.skylift.engine.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JournalTest {

    static final String API = "https://k3x9q2m1ab.execute-api.eu-west-1.amazonaws.com/prod";
    static final Instant CREATED = Instant.parse("2025-03-14T09:26:53.589Z");

    @TempDir
    Path temp;

    static JournalEntry.Upload upload(String id, Instant created) {
        return new JournalEntry.Upload(JournalEntry.VERSION, id, API, "raw-footage-day2.mov",
                "/home/alice/Videos/raw-footage-day2.mov", "projects/wedding-2025", "projects/wedding-2025/raw-footage-day2.mov",
                "2~nP0eM9bYvKqXKzq1yU3lB7oT8PzE4W9sRt6cY0hJkL5aGdN2fVuQwXe",
                214_748_364_800L, 1_741_944_013_412L, "5f0c6a9e4d1b2c3a8e7f6d5c4b3a2918", 64L << 20, 3_200,
                Map.of(1, "4waSgw==", 2, "AAAAAA==", 17, "yZRlqg=="), created, null);
    }

    static JournalEntry.Download download(String id, Instant created) {
        return new JournalEntry.Download(JournalEntry.VERSION, id, API, "survey-2024.tar", "datasets/survey-2024.tar",
                "\"9b2cf535f27731c974343645a3985328-1600\"", "Q2x1ZQ==", 107_374_182_400L, 64L << 20,
                "/home/alice/Downloads/survey-2024.tar", "/home/alice/Downloads/.survey-2024.tar.skylift-part",
                Map.of(0, "4waSgw==", 1, "AAAAAA==", 1599, "yZRlqg=="), created, "the network failed after 8 attempts");
    }

    @Test
    void anUploadEntrySurvivesASaveAndLoadWithEveryField() throws IOException {
        Journal journal = new Journal(temp.resolve("journal"));
        JournalEntry.Upload saved = upload("6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f", CREATED);

        journal.save(saved);
        JournalEntry loaded = journal.load(saved.id()).orElseThrow();

        assertThat(loaded).isInstanceOf(JournalEntry.Upload.class).isEqualTo(saved);
        JournalEntry.Upload upload = (JournalEntry.Upload) loaded;
        assertThat(upload.sentParts()).containsExactlyInAnyOrderEntriesOf(saved.sentParts());
        assertThat(upload.size()).isEqualTo(214_748_364_800L);
        assertThat(upload.created()).isEqualTo(CREATED);
        assertThat(upload.reason()).isNull();
        assertThat(upload.direction()).isEqualTo(io.skylift.engine.Direction.UPLOAD);
    }

    @Test
    void aDownloadEntrySurvivesASaveAndLoadWithEveryField() throws IOException {
        Journal journal = new Journal(temp.resolve("journal"));
        JournalEntry.Download saved = download("0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d", CREATED);

        journal.save(saved);
        JournalEntry loaded = journal.load(saved.id()).orElseThrow();

        assertThat(loaded).isInstanceOf(JournalEntry.Download.class).isEqualTo(saved);
        JournalEntry.Download download = (JournalEntry.Download) loaded;
        assertThat(download.doneRanges()).containsExactlyInAnyOrderEntriesOf(saved.doneRanges());
        assertThat(download.etag()).isEqualTo("\"9b2cf535f27731c974343645a3985328-1600\"");
        assertThat(download.reason()).isEqualTo("the network failed after 8 attempts");
        assertThat(download.direction()).isEqualTo(io.skylift.engine.Direction.DOWNLOAD);
    }

    @Test
    void directEntriesKeepTheTransferManagersStateAsWrittenAndStayOwnerOnly() throws IOException {
        Journal journal = new Journal(temp.resolve("journal"));
        String uploadState = "{\"fileLength\":214748364800,\"fileLastModified\":1741944013.412,\"multipartUploadId\":"
                + "\"VXBsb2FkIElEIGZvciA2aWWZcmoxIHVwbG9hZA\",\"partSizeInBytes\":16777216,\"totalParts\":12800,"
                + "\"transferredParts\":4200,\"uploadFileRequest\":{\"source\":\"/home/alice/Videos/raw \\\"day 2\\\".mov\"}}";
        JournalEntry.DirectUpload upload = new JournalEntry.DirectUpload(JournalEntry.VERSION, "1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
                "s3://studio-archive", "raw \"day 2\".mov", "/home/alice/Videos/raw \"day 2\".mov", "exports/raw \"day 2\".mov",
                214_748_364_800L, 1_741_944_013_412L, "5f0c6a9e4d1b2c3a8e7f6d5c4b3a2918", uploadState, CREATED, null);
        JournalEntry.DirectDownload download = new JournalEntry.DirectDownload(JournalEntry.VERSION,
                "2e3d4c5b-6f7a-4b8c-9d0e-1f2a3b4c5d6e", "s3://studio-archive@127.0.0.1:9000", "survey.tar", "datasets/survey.tar",
                "\"9b2cf535f27731c974343645a3985328-1600\"", 107_374_182_400L, "/home/alice/Downloads/survey.tar",
                "/home/alice/Downloads/.survey.tar.skylift-2e3d.part", true, null, CREATED, "The disk is full.");

        journal.save(upload);
        journal.save(download);

        assertThat(journal.load(upload.id()).orElseThrow()).isEqualTo(upload);
        assertThat(journal.load(download.id()).orElseThrow()).isEqualTo(download);
        assertThat(journal.all()).extracting(JournalEntry::direction)
                .containsExactlyInAnyOrder(io.skylift.engine.Direction.UPLOAD, io.skylift.engine.Direction.DOWNLOAD);
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        try (Stream<Path> files = Files.list(temp.resolve("journal"))) {
            for (Path file : files.toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void progressOnAnUploadChangesOnlyItsPartsOrItsReason() {
        JournalEntry.Upload start = upload("u", CREATED);
        Map<Integer, String> parts = new java.util.HashMap<>(Map.of(1, "4waSgw==", 2, "AAAAAA==", 3, "yZRlqg=="));

        JournalEntry.Upload progressed = start.withSentParts(parts);
        parts.put(4, "changed after the fact");
        JournalEntry.Upload paused = progressed.withReason("paused by the user");

        assertThat(progressed.sentParts()).containsOnlyKeys(1, 2, 3);
        assertThat(progressed).usingRecursiveComparison().ignoringFields("sentParts").isEqualTo(start);
        assertThat(paused.reason()).isEqualTo("paused by the user");
        assertThat(paused).usingRecursiveComparison().ignoringFields("reason").isEqualTo(progressed);
    }

    @Test
    void progressOnADownloadChangesOnlyItsRangesOrItsReason() {
        JournalEntry.Download start = download("d", CREATED);
        Map<Integer, String> ranges = new java.util.HashMap<>(Map.of(0, "4waSgw==", 7, "AAAAAA=="));

        JournalEntry.Download progressed = start.withDoneRanges(ranges);
        ranges.put(8, "changed after the fact");
        JournalEntry.Download resumed = progressed.withReason(null);

        assertThat(progressed.doneRanges()).containsOnlyKeys(0, 7);
        assertThat(progressed).usingRecursiveComparison().ignoringFields("doneRanges").isEqualTo(start);
        assertThat(resumed.reason()).isNull();
        assertThat(resumed).usingRecursiveComparison().ignoringFields("reason").isEqualTo(progressed);
    }

    @Test
    void savingAgainReplacesTheEntry() throws IOException {
        Journal journal = new Journal(temp);
        JournalEntry.Upload first = upload("a1", CREATED);
        JournalEntry.Upload later = first.withSentParts(Map.of(1, "4waSgw==")).withReason("paused by the user");

        journal.save(first);
        journal.save(later);

        assertThat(journal.load("a1")).contains(later);
        assertThat(journal.all()).containsExactly(later);
    }

    @Test
    void loadingAnUnknownIdFindsNothing() throws IOException {
        assertThat(new Journal(temp).load("never-saved")).isEmpty();
    }

    @Test
    void allListsTheEntriesOldestFirst() throws IOException {
        Journal journal = new Journal(temp);
        JournalEntry newest = download("c-newest", CREATED.plusSeconds(3_600));
        JournalEntry oldest = upload("z-oldest", CREATED.minusSeconds(86_400));
        JournalEntry middle = upload("a-middle", CREATED);
        // Saved in neither name nor time order.
        journal.save(newest);
        journal.save(oldest);
        journal.save(middle);

        assertThat(journal.all()).containsExactly(oldest, middle, newest);
    }

    @Test
    void allSkipsACorruptFileInsteadOfFailing() throws IOException {
        Journal journal = new Journal(temp);
        JournalEntry good = upload("good", CREATED);
        journal.save(good);
        Files.writeString(temp.resolve("torn.json"), "{\"direction\":\"UPLOAD\",\"id\":\"torn\",\"api\":\"htt");
        Files.writeString(temp.resolve("garbage.json"), "not json at all");
        Files.write(temp.resolve("empty.json"), new byte[0]);
        Files.writeString(temp.resolve("unknown-kind.json"), "{\"direction\":\"SIDEWAYS\",\"id\":\"x\"}");

        assertThat(journal.all()).containsExactly(good);
    }

    @Test
    void allSkipsAFileThatIsValidJsonButNotACompleteEntry() throws IOException {
        Journal journal = new Journal(temp);
        JournalEntry good = upload("good", CREATED);
        journal.save(good);
        Files.writeString(temp.resolve("null.json"), "null");
        Files.writeString(temp.resolve("no-date.json"), "{\"direction\":\"UPLOAD\",\"id\":\"no-date\"}");

        assertThat(journal.all()).containsExactly(good);
    }

    @Test
    void allIgnoresFilesThatAreNotJournalEntries() throws IOException {
        Journal journal = new Journal(temp);
        JournalEntry good = download("good", CREATED);
        journal.save(good);
        Files.writeString(temp.resolve("notes.txt"), "hello");
        // A crash between writing the temporary file and renaming it leaves a complete entry under another name.
        Files.writeString(temp.resolve("good.json.tmp"), Files.readString(temp.resolve("good.json")));
        Files.writeString(temp.resolve("other.json.tmp"), Files.readString(temp.resolve("good.json")).replace("\"good\"", "\"other\""));

        assertThat(journal.all()).containsExactly(good);
    }

    @Test
    void allOfAJournalWhoseFolderDoesNotExistIsEmpty() throws IOException {
        assertThat(new Journal(temp.resolve("absent")).all()).isEmpty();
    }

    @Test
    void theFileIsOwnerOnlyAndTheFolderItCreatesIsToo() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path dir = temp.resolve("data").resolve("journal");
        Journal journal = new Journal(dir);

        journal.save(upload("private", CREATED));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("private.json"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void deleteRemovesTheEntry() throws IOException {
        Journal journal = new Journal(temp);
        journal.save(upload("gone", CREATED));
        journal.save(upload("kept", CREATED));

        journal.delete("gone");

        assertThat(temp.resolve("gone.json")).doesNotExist();
        assertThat(journal.load("gone")).isEmpty();
        assertThat(journal.all()).extracting(JournalEntry::id).containsExactly("kept");
    }

    @Test
    void deletingAnEntryThatIsNotThereIsFine() throws IOException {
        new Journal(temp).delete("never-saved");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "..", "a/b", "a\\b", "/etc/passwd", "", "id.json", "with space",
            "x0123456789012345678901234567890123456789012345678901234567890123"})
    void anIdThatCouldEscapeTheFolderIsRejected(String id) {
        Journal journal = new Journal(temp.resolve("journal"));

        assertThatThrownBy(() -> journal.load(id)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> journal.delete(id)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> journal.save(upload(id, CREATED))).isInstanceOf(IllegalArgumentException.class);
        assertThat(temp.resolve("x.json")).doesNotExist();
    }

    @Test
    void noTemporaryFileIsLeftAfterSaving() throws IOException {
        Journal journal = new Journal(temp);
        journal.save(upload("one", CREATED));
        journal.save(download("two", CREATED));
        journal.save(upload("one", CREATED).withReason("paused"));

        try (Stream<Path> files = Files.list(temp)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList())
                    .containsExactlyInAnyOrder("one.json", "two.json");
        }
    }

    @Test
    void theSavedJsonHoldsNoUrlButTheApiBase() throws IOException {
        Journal journal = new Journal(temp);
        List<JournalEntry> entries = List.of(upload("up", CREATED), download("down", CREATED));
        for (JournalEntry entry : entries) {
            journal.save(entry);
            String json = Files.readString(temp.resolve(entry.id() + ".json"), StandardCharsets.UTF_8);

            assertThat(json).contains("\"api\":\"" + API + "\"");
            assertThat(json.replace(API, "")).doesNotContainIgnoringCase("http");
            assertThat(json).doesNotContainIgnoringCase("X-Amz-Signature").doesNotContainIgnoringCase("X-Amz-Credential");
        }
    }
}
