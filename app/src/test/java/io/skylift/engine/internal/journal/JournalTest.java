package io.skylift.engine.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.skylift.json.Json;
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
    void savingAgainReplacesTheEntryAndKeepsThePartsOfTheSamePlan() throws IOException {
        Journal journal = new Journal(temp);
        JournalEntry.Upload first = upload("a1", CREATED);
        JournalEntry.Upload later = first.withSentParts(Map.of(1, "4waSgw==", 5, "yZRlqg==")).withReason("paused by the user");

        journal.save(first);
        journal.save(later);

        JournalEntry.Upload expected = later.withSentParts(Map.of(1, "4waSgw==", 2, "AAAAAA==", 5, "yZRlqg==", 17, "yZRlqg=="));
        assertThat(journal.load("a1")).contains(expected);
        assertThat(journal.all()).containsExactly(expected);
        assertThat(new Journal(temp).all()).as("as read back from disk").containsExactly(expected);
    }

    @Test
    void aNewPlanStartsWithOnlyItsOwnParts() throws IOException {
        Journal journal = new Journal(temp);
        JournalEntry.Upload first = upload("a2", CREATED);
        journal.save(first);
        journal.recordPart("a2", 9, "yZRlqg==");
        // The remote upload vanished and a new one was made: the old one's parts are not its parts.
        JournalEntry.Upload again = new JournalEntry.Upload(first.version(), first.id(), first.api(), first.name(), first.file(),
                first.folder(), first.key(), "2~another-upload", first.size(), first.modifiedMillis(), first.fingerprint(),
                first.partSize(), first.partCount(), Map.of(), first.created(), null);

        journal.save(again);

        assertThat(journal.load("a2")).contains(again);
        assertThat(new Journal(temp).load("a2")).contains(again);
    }

    @Test
    void deletingBeforeSavingStartsTheSamePlanOver() throws IOException {
        Journal journal = new Journal(temp);
        JournalEntry.Download download = download("d2", CREATED);
        journal.save(download);
        journal.recordPart("d2", 5, "yZRlqg==");

        journal.delete("d2");
        journal.save(download.withDoneRanges(Map.of()));

        assertThat(new Journal(temp).load("d2")).contains(download.withDoneRanges(Map.of()));
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

    // ----- today's format, the part log, the index -----

    static final String UPLOAD = "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
    static final String DOWNLOAD = "0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d";
    static final String QUEUED = "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e";
    static final String QUEUED_DIRECT = "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f";
    static final String DIRECT_UPLOAD = "3d4e5f6a-7b8c-4d9e-0f1a-2b3c4d5e6f7a";
    static final String DIRECT_DOWNLOAD = "4e5f6a7b-8c9d-4e0f-1a2b-3c4d5e6f7a8b";
    static final String PLANNED = "5a6b7c8d-9e0f-4a1b-2c3d-4e5f6a7b8c9d";
    static final Map<String, String> FIXTURES = Map.of("upload", UPLOAD, "download", DOWNLOAD, "queued-download", QUEUED,
            "queued-download-direct", QUEUED_DIRECT, "direct-upload", DIRECT_UPLOAD, "direct-download", DIRECT_DOWNLOAD,
            "planned-upload", PLANNED);

    /** Puts the fixture, as today's release wrote it, into {@code dir} under its id. */
    static String fixture(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        try (var in = JournalTest.class.getResourceAsStream("/journal/" + name + ".json")) {
            Files.write(dir.resolve(FIXTURES.get(name) + ".json"), in.readAllBytes());
        }
        return FIXTURES.get(name);
    }

    @Test
    void entriesWrittenByTodaysReleaseLoadWithWhatTheyDescribe() throws IOException {
        for (String name : FIXTURES.keySet()) {
            fixture(temp, name);
        }
        Journal journal = new Journal(temp);

        assertThat(journal.all()).extracting(JournalEntry::id)
                .containsExactly(UPLOAD, DOWNLOAD, QUEUED, QUEUED_DIRECT, DIRECT_UPLOAD, DIRECT_DOWNLOAD, PLANNED);
        JournalEntry.Upload upload = (JournalEntry.Upload) journal.load(UPLOAD).orElseThrow();
        assertThat(upload.sentParts()).containsOnlyKeys(1, 2, 7);
        assertThat(upload.bytesDone()).as("two whole parts and the short last one").isEqualTo(2L * 16_777_216 + (104_869_945L - 6L * 16_777_216));
        assertThat(upload.describe()).isEqualTo(new io.skylift.engine.UnfinishedTransfer(UPLOAD, io.skylift.engine.Direction.UPLOAD,
                "raw-footage-day2.mov", "/home/alice/Videos/raw-footage-day2.mov", "u/alice/projects/wedding-2025/raw-footage-day2.mov",
                104_869_945L, upload.bytesDone(), CREATED, "paused by the user", API));
        JournalEntry download = journal.load(DOWNLOAD).orElseThrow();
        assertThat(download.bytesDone()).isEqualTo(2L * 16_777_216);
        assertThat(download.localPath()).isEqualTo("/home/alice/Downloads/survey-2024.tar");
        JournalEntry queued = journal.load(QUEUED).orElseThrow();
        assertThat(queued.describe()).satisfies(d -> {
            assertThat(d.file()).isEqualTo("/home/alice/Pictures/IMG_0001.CR3");
            assertThat(d.size()).isZero();
            assertThat(d.bytesDone()).isZero();
        });
        assertThat(journal.load(DIRECT_UPLOAD).orElseThrow().bytesDone()).isEqualTo(4_200L * 16_777_216);
        assertThat(journal.load(DIRECT_DOWNLOAD).orElseThrow().bytesDone()).isEqualTo(50_331_648L);
        assertThat(journal.load(PLANNED).orElseThrow().key()).as("not yet known to storage").isNull();
        assertThat(journal.all()).filteredOn(JournalEntry::direct).extracting(JournalEntry::id)
                .containsExactly(QUEUED_DIRECT, DIRECT_UPLOAD, DIRECT_DOWNLOAD);
    }

    @Test
    void aQueuedDownloadSaysItsRouteAndOnlyOldEntriesAreToldByTheirConnection() {
        var asked = new JournalEntry.QueuedDownload(JournalEntry.VERSION, "q", "https://api.example", "a.bin", "u/a/a.bin",
                "/home/alice", io.skylift.engine.IfExists.FAIL, CREATED, null, true);
        var old = new JournalEntry.QueuedDownload(JournalEntry.VERSION, "q", "https://api.example", "a.bin", "u/a/a.bin",
                "/home/alice", io.skylift.engine.IfExists.FAIL, CREATED, null);

        assertThat(asked.direct()).isTrue();
        assertThat(old.direct()).isFalse();
    }

    @Test
    void resavingAnEntryOfTodaysFormatWritesTheSameFieldNames() throws IOException {
        for (String name : FIXTURES.keySet()) {
            Path dir = temp.resolve(name);
            String id = fixture(dir, name);
            var before = Json.STORED.readTree(dir.resolve(id + ".json").toFile());
            Journal journal = new Journal(dir);

            journal.save(journal.load(id).orElseThrow());

            var after = Json.STORED.readTree(dir.resolve(id + ".json").toFile());
            List<String> added = name.startsWith("queued") ? List.of("direct") : List.of();
            assertThat(fieldNames(after)).as(name).containsExactlyInAnyOrderElementsOf(
                    Stream.concat(fieldNames(before).stream(), added.stream()).toList());
            assertThat(new Journal(dir).load(id)).as(name).isEqualTo(journal.load(id));
        }
    }

    static List<String> fieldNames(com.fasterxml.jackson.databind.JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void anEntryIsItsJsonMergedWithEveryCompleteLineOfItsPartLogAndATornLastLineIsIgnored() throws IOException {
        fixture(temp, "upload");
        Files.writeString(temp.resolve(UPLOAD + ".parts"), "{\"p\":3,\"c\":\"yZRlqg==\"}\n"
                + "{\"p\":2,\"c\":\"Q2x1ZQ==\"}\n"
                + "{\"p\":4,\"c\":\"not a crc\"}\n"
                + "{\"p\":5,\"c\":\"yZR");

        JournalEntry.Upload loaded = (JournalEntry.Upload) new Journal(temp).load(UPLOAD).orElseThrow();

        assertThat(loaded.sentParts()).containsExactlyInAnyOrderEntriesOf(Map.of(1, "4waSgw==", 2, "Q2x1ZQ==", 3, "yZRlqg==",
                7, "yZRlqg=="));
    }

    @Test
    void aPartRecordedAfterACrashMidAppendIsKept() throws IOException {
        fixture(temp, "download");
        Files.writeString(temp.resolve(DOWNLOAD + ".parts"), "{\"p\":1,\"c\":\"yZRlqg==\"}\n{\"p\":3,\"c\":\"yZ");
        Journal journal = new Journal(temp);

        journal.recordPart(DOWNLOAD, 3, "Q2x1ZQ==");

        JournalEntry.Download loaded = (JournalEntry.Download) new Journal(temp).load(DOWNLOAD).orElseThrow();
        assertThat(loaded.doneRanges()).containsOnlyKeys(0, 1, 2, 3).containsEntry(3, "Q2x1ZQ==");
    }

    @Test
    void anEntryIsFoundByWhatItIsWithoutReadingTheOthers() throws IOException {
        for (String name : FIXTURES.keySet()) {
            fixture(temp, name);
        }
        Journal journal = new Journal(temp);
        journal.all();
        try (Stream<Path> files = Files.list(temp)) {
            for (Path file : files.toList()) {
                Files.delete(file); // what is found from now on comes from the index
            }
        }

        assertThat(journal.find(JournalEntry.uploadIdentity(Path.of("/home/alice/Videos/raw-footage-day2.mov"),
                "projects/wedding-2025", "raw-footage-day2.mov"))).map(JournalEntry::id).contains(UPLOAD);
        assertThat(journal.find(JournalEntry.uploadIdentity(Path.of("/home/alice/Videos/raw day 2.mov"), "/exports/",
                "raw day 2.mov"))).map(JournalEntry::id).contains(DIRECT_UPLOAD);
        assertThat(journal.find(JournalEntry.downloadIdentity("archives/survey-2024.tar", Path.of("/home/alice/Downloads"))))
                .map(JournalEntry::id).contains(DOWNLOAD);
        assertThat(journal.find(JournalEntry.downloadIdentity("datasets/survey.tar", Path.of("/home/alice/Downloads/."))))
                .map(JournalEntry::id).contains(DIRECT_DOWNLOAD);
        assertThat(journal.find(JournalEntry.downloadIdentity("u/alice/2026-11-22 wedding/IMG_0001.CR3", Path.of("/home/alice/Pictures"))))
                .map(JournalEntry::id).contains(QUEUED);
        assertThat(journal.find(JournalEntry.downloadIdentity("archives/survey-2024.tar", Path.of("/home/alice"))))
                .as("the same key into another folder is another transfer").isEmpty();
        assertThat(journal.find(JournalEntry.uploadIdentity(Path.of("/home/alice/Videos/raw-footage-day2.mov"),
                "projects/wedding-2025", "renamed.mov"))).as("the same file under another name is another transfer").isEmpty();
    }

    @Test
    void anEntrySurvivesSavesPartsAndARestartAndDeletingItLeavesNothingEvenForALatePart() throws IOException {
        Path dir = temp.resolve("journal");
        Journal journal = new Journal(dir);
        JournalEntry.Upload planned = upload("life", CREATED).withSentParts(Map.of());
        journal.save(planned);
        journal.recordPart("life", 1, "4waSgw==");
        journal.recordPart("life", 2, "AAAAAA==");
        assertThat(journal.find(planned.identity())).map(e -> ((JournalEntry.Upload) e).sentParts()).contains(Map.of(1, "4waSgw==", 2, "AAAAAA=="));

        journal.save(planned.withReason("paused by the user")); // a run that does not carry its parts
        journal.recordPart("life", 3, "yZRlqg==");

        JournalEntry.Upload restarted = (JournalEntry.Upload) new Journal(dir).load("life").orElseThrow();
        assertThat(restarted.sentParts()).containsOnlyKeys(1, 2, 3);
        assertThat(restarted.reason()).isEqualTo("paused by the user");
        assertThat(journal.load("life")).contains(restarted);

        journal.delete("life");
        journal.recordPart("life", 4, "yZRlqg=="); // a part that finished while its transfer was thrown away

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
        assertThat(journal.load("life")).isEmpty();
        assertThat(journal.find(planned.identity())).isEmpty();
        assertThat(new Journal(dir).all()).isEmpty();
    }

    @Test
    void recordingAPartOfATransferTheJournalDoesNotHoldMakesNoFile() throws IOException {
        Journal journal = new Journal(temp);
        journal.save(upload("other", CREATED));

        journal.recordPart("never-saved", 1, "4waSgw==");

        try (Stream<Path> files = Files.list(temp)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("other.json");
        }
    }

    @Test
    void reloadShowsWhatAnotherProcessWrote() throws IOException {
        Journal mine = new Journal(temp);
        assertThat(mine.all()).isEmpty();
        Journal theirs = new Journal(temp);
        theirs.save(upload("theirs", CREATED));
        theirs.recordPart("theirs", 40, "yZRlqg==");

        assertThat(mine.all()).as("the index, not the folder").isEmpty();
        mine.reload();

        assertThat(mine.load("theirs")).map(e -> ((JournalEntry.Upload) e).sentParts()).hasValueSatisfying(
                parts -> assertThat(parts).containsKeys(1, 2, 17, 40));
    }

    @Test
    void thePartLogIsOwnerOnlyAndNeitherFileHoldsAUrlOrAToken() throws IOException {
        Journal journal = new Journal(temp);
        journal.save(upload("up", CREATED));
        journal.save(download("down", CREATED));
        journal.recordPart("up", 30, "yZRlqg==");
        journal.recordPart("down", 30, "yZRlqg==");

        try (Stream<Path> files = Files.list(temp)) {
            List<Path> all = files.toList();
            assertThat(all).extracting(f -> f.getFileName().toString())
                    .containsExactlyInAnyOrder("up.json", "up.parts", "down.json", "down.parts");
            for (Path file : all) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                assertThat(text.replace(API, "")).as(file.toString()).doesNotContainIgnoringCase("http")
                        .doesNotContainIgnoringCase("X-Amz-").doesNotContainIgnoringCase("Bearer");
                if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString()).isEqualTo("rw-------");
                }
            }
        }
    }

    @Test
    void aReloadShowsWhatAnotherProcessAddedAndRemovedAndKeepsThisOnesOwnParts() throws IOException {
        Journal here = new Journal(temp);
        Journal there = new Journal(temp); // another process's view of the same folder
        JournalEntry.Upload mine = upload("11111111-1111-4111-8111-111111111111", CREATED);
        JournalEntry.Upload theirs = upload("22222222-2222-4222-8222-222222222222", CREATED.plusSeconds(1));
        JournalEntry.Download finishedThere = download("33333333-3333-4333-8333-333333333333", CREATED.plusSeconds(2));
        here.save(mine);
        here.save(finishedThere);
        here.recordPart(mine.id(), 99, "ZmluZQ==");
        there.all();
        there.save(theirs);
        there.delete(finishedThere.id());

        assertThat(here.all()).extracting(JournalEntry::id).containsExactly(mine.id(), finishedThere.id());
        here.reload();

        assertThat(here.all()).extracting(JournalEntry::id).containsExactly(mine.id(), theirs.id());
        assertThat(((JournalEntry.Upload) here.load(mine.id()).orElseThrow()).sentParts()).containsEntry(99, "ZmluZQ==");
        here.recordPart(mine.id(), 100, "bW9yZQ==");
        assertThat(((JournalEntry.Upload) new Journal(temp).load(mine.id()).orElseThrow()).sentParts())
                .as("parts recorded after a reload still reach the disk").containsKeys(99, 100);
    }
}
