package io.skylift.engine.internal.journal;

import static io.skylift.engine.internal.journal.JournalTest.API;
import static io.skylift.engine.internal.journal.JournalTest.CREATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skylift.engine.TransferEngine;
import io.skylift.engine.UnfinishedTransfer;
import io.skylift.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dropped folder's uploads journaled with one write, and each leaving it with one short append. */
class JournalPlanTest {

    @TempDir
    Path temp;

    /** An upload as {@code Upload.plan()} makes it: only the journal knows it. */
    static JournalEntry.Upload planned(int i) {
        String name = String.format("IMG_%05d.JPG", i);
        return new JournalEntry.Upload(JournalEntry.VERSION, String.format("7c1e4f2a-0b3d-4e5f-8a9b-%012d", i), API, name,
                "/home/alice/Pictures/2026-11-22 wedding/" + name, "2026-11-22 wedding", null, null, 8_123_456L + i,
                1_741_944_013_412L, null, 0, 0, Map.of(), CREATED.plusNanos(1_000L * i), null);
    }

    static List<JournalEntry.Upload> plannedUploads(int count) {
        return IntStream.range(0, count).mapToObj(JournalPlanTest::planned).toList();
    }

    /** The same upload once storage created it, as the engine saves it on its own. */
    static JournalEntry.Upload created(JournalEntry.Upload planned) {
        return new JournalEntry.Upload(planned.version(), planned.id(), planned.api(), planned.name(), planned.file(),
                planned.folder(), "u/alice/" + planned.folder() + "/" + planned.name(), "2~nP0eM9bYvKqXKzq1yU3lB7oT8PzE4W9sRt6cY0hJkL5",
                planned.size(), planned.modifiedMillis(), "5f0c6a9e4d1b2c3a8e7f6d5c4b3a2918", 5L << 20, 2, Map.of(),
                planned.created(), null);
    }

    List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(temp)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    Path planFile() throws IOException {
        try (Stream<Path> files = Files.list(temp)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".plan")).findFirst().orElseThrow();
        }
    }

    Path leaveLog() throws IOException {
        return temp.resolve(planFile().getFileName() + ".log");
    }

    /** Deletes each, as their uploads finish, and checks that the journal's folder is then empty. */
    void finishAll(Journal journal, JournalEntry... entries) throws IOException {
        for (JournalEntry entry : entries) {
            journal.delete(entry.id());
        }
        assertThat(files()).as("nothing left once every upload finished").isEmpty();
    }

    @Test
    void tenThousandPlannedUploadsAreOneFileFoundByWhatTheyAreListedOldestFirstAndSeenAfterARestart() throws IOException {
        List<JournalEntry.Upload> drop = plannedUploads(10_000);
        Journal journal = new Journal(temp);

        journal.savePlanned(drop);

        assertThat(files()).as("one durable write for the whole drop").hasSize(1).allMatch(name -> name.endsWith(".plan"));
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(planFile()))).isEqualTo("rw-------");
        }
        assertThat(journal.all()).containsExactlyElementsOf(drop);
        for (JournalEntry.Upload upload : List.of(drop.getFirst(), drop.get(4_321), drop.getLast())) {
            assertThat(journal.find(upload.identity())).contains(upload);
            assertThat(journal.load(upload.id())).contains(upload);
        }
        Journal restarted = new Journal(temp);
        assertThat(restarted.all()).containsExactlyElementsOf(drop);
        assertThat(restarted.withIdentity(drop.get(9_999).identity())).containsExactly(drop.get(9_999));
        assertThat(TransferEngine.unfinishedIn(temp)).extracting(UnfinishedTransfer::id)
                .containsExactlyElementsOf(drop.stream().map(JournalEntry::id).toList());
    }

    /** A downloaded folder's file as planned: asked for, its local name checked, nothing known of the object yet. */
    static JournalEntry.QueuedDownload plannedDownload(int i) {
        String name = String.format("IMG_%05d.JPG", i);
        return new JournalEntry.QueuedDownload(JournalEntry.VERSION, String.format("3d9a6b1c-2e4f-4a5b-9c8d-%012d", i), API, name,
                "u/alice/2026-11-22 wedding/day" + i % 3 + "/" + name, "/home/alice/Downloads/2026-11-22 wedding/day" + i % 3,
                io.skylift.engine.IfExists.FAIL, CREATED.plusNanos(1_000L * i), null, false, name);
    }

    @Test
    void aDownloadedFolderIsPlannedWithOneWriteFoundByWhatEachFileIsAndGoneWhenEachHasLeft() throws IOException {
        List<JournalEntry.QueuedDownload> folder = IntStream.range(0, 3_000).mapToObj(JournalPlanTest::plannedDownload).toList();
        Journal journal = new Journal(temp);

        journal.savePlanned(folder);

        assertThat(files()).as("one durable write for the whole folder").hasSize(1).allMatch(name -> name.endsWith(".plan"));
        JournalEntry.QueuedDownload one = folder.get(1_234);
        assertThat(journal.find(JournalEntry.downloadIdentity(one.key(), Path.of(one.folder())))).contains(one);
        Journal restarted = new Journal(temp);
        assertThat(restarted.all()).containsExactlyElementsOf(folder);
        assertThat(restarted.load(one.id()).orElseThrow()).isInstanceOfSatisfying(JournalEntry.QueuedDownload.class,
                read -> assertThat(read.localName()).isEqualTo(one.localName()));
        finishAll(restarted, folder.toArray(JournalEntry[]::new));
    }

    @Test
    void deletingHalfThePlanLeavesTheOtherHalfAndDeletingTheRestLeavesNoFile() throws IOException {
        List<JournalEntry.Upload> drop = plannedUploads(2_000);
        Journal journal = new Journal(temp);
        journal.savePlanned(drop);

        List<JournalEntry.Upload> kept = new ArrayList<>();
        for (int i = 0; i < drop.size(); i++) {
            if (i % 2 == 0) {
                journal.delete(drop.get(i).id()); // finished, or refused
            } else {
                kept.add(drop.get(i));
            }
        }

        assertThat(journal.all()).containsExactlyElementsOf(kept);
        assertThat(journal.find(drop.get(0).identity())).isEmpty();
        Journal restarted = new Journal(temp);
        assertThat(restarted.all()).containsExactlyElementsOf(kept);
        assertThat(restarted.load(drop.get(0).id())).isEmpty();
        assertThat(files()).as("the plan and its log").hasSize(2);
        for (String name : files()) {
            String text = Files.readString(temp.resolve(name), StandardCharsets.UTF_8);
            assertThat(text.replace(API, "")).as(name).doesNotContainIgnoringCase("http").doesNotContainIgnoringCase("X-Amz-");
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve(name)))).as(name)
                        .isEqualTo("rw-------");
            }
        }

        finishAll(restarted, kept.toArray(JournalEntry[]::new));
        assertThat(restarted.all()).isEmpty();
        assertThat(new Journal(temp).all()).isEmpty();
    }

    @Test
    void eachLeavingIsAShortAppendNotARewriteOfThePlan() throws IOException {
        Journal journal = new Journal(temp);
        journal.savePlanned(plannedUploads(1_000));
        long planSize = Files.size(planFile());
        byte[] plan = Files.readAllBytes(planFile());

        for (int i = 0; i < 999; i++) {
            journal.delete(planned(i).id());
        }

        assertThat(Files.readAllBytes(planFile())).as("the plan as written").isEqualTo(plan);
        assertThat(Files.size(leaveLog())).as("999 short lines").isLessThan(100_000).isLessThan(planSize);
        assertThat(new Journal(temp).all()).containsExactly(planned(999));
    }

    @Test
    void aPlannedUploadSavedOnceStorageKnowsItIsThenItsOwnEntryAndListedOnce() throws IOException {
        List<JournalEntry.Upload> drop = plannedUploads(3);
        Journal journal = new Journal(temp);
        journal.savePlanned(drop);
        JournalEntry.Upload large = created(drop.get(1));

        journal.save(large);
        journal.recordPart(large.id(), 1, "yZRlqg==");

        JournalEntry.Upload withPart = large.withSentParts(Map.of(1, "yZRlqg=="));
        assertThat(journal.all()).containsExactly(drop.get(0), withPart, drop.get(2));
        Journal restarted = new Journal(temp);
        assertThat(restarted.all()).containsExactly(drop.get(0), withPart, drop.get(2));
        assertThat(restarted.withIdentity(large.identity())).containsExactly(withPart);
        assertThat(files()).contains(large.id() + ".json", large.id() + ".parts");

        finishAll(restarted, large, drop.get(0), drop.get(2));
    }

    @Test
    void aPlannedUploadSavedAgainBeforeStorageKnowsItKeepsWhatWasSaved() throws IOException {
        List<JournalEntry.Upload> drop = plannedUploads(2);
        Journal journal = new Journal(temp);
        journal.savePlanned(drop);
        JournalEntry.Upload paused = drop.get(0).withReason("paused by the user");

        journal.save(paused);

        assertThat(new Journal(temp).all()).containsExactly(paused, drop.get(1));
    }

    @Test
    void aTornLastLeaveLineIsIgnoredAndALineForAnUnknownIdIsHarmless() throws IOException {
        List<JournalEntry.Upload> drop = plannedUploads(4);
        new Journal(temp).savePlanned(drop);
        Path log = leaveLog();
        String torn = "{\"left\":\"" + drop.get(0).id(); // the process died writing the line for 0
        Files.writeString(log, "{\"left\":\"0f0f0f0f-never-planned\"}\n"
                + "{\"left\":\"" + drop.get(1).id() + "\"}\n"
                + "not a record\n"
                + torn.substring(0, torn.length() - 4));

        Journal restarted = new Journal(temp);
        assertThat(restarted.all()).containsExactly(drop.get(0), drop.get(2), drop.get(3));

        // The next line must not run into the torn one and with it name a shorter id.
        restarted.delete(drop.get(3).id());

        assertThat(new Journal(temp).all()).containsExactly(drop.get(0), drop.get(2));
        finishAll(restarted, drop.get(0), drop.get(2));
    }

    @Test
    void aCrashAfterAPlannedUploadWasSavedOnItsOwnButBeforeItLeftThePlanShowsItOnce() throws IOException {
        List<JournalEntry.Upload> drop = plannedUploads(2);
        new Journal(temp).savePlanned(drop);
        JournalEntry.Upload large = created(drop.get(0));
        // What a save leaves when the process dies right after writing the entry's own file.
        Files.write(temp.resolve(large.id() + ".json"), Json.STORED.writeValueAsBytes(large), StandardOpenOption.CREATE_NEW);

        Journal restarted = new Journal(temp);

        assertThat(restarted.all()).containsExactly(large, drop.get(1));
        assertThat(restarted.withIdentity(large.identity())).containsExactly(large);

        restarted.delete(large.id()); // it finished: it must not come back from the plan

        assertThat(new Journal(temp).all()).containsExactly(drop.get(1));
        finishAll(restarted, drop.get(1));
    }

    @Test
    void aPlanWhoseEntriesAllLeftButWhoseFilesACrashKeptIsRemovedWhenRead() throws IOException {
        List<JournalEntry.Upload> drop = plannedUploads(2);
        new Journal(temp).savePlanned(drop);
        Files.writeString(leaveLog(), "{\"left\":\"" + drop.get(0).id() + "\"}\n{\"left\":\"" + drop.get(1).id() + "\"}\n");
        Path orphan = temp.resolve("3b9d2c1e-5f6a-4b7c-8d9e-0f1a2b3c4d5e.plan.log"); // its plan was removed first
        Files.writeString(orphan, "{\"left\":\"" + drop.get(0).id() + "\"}\n");

        assertThat(new Journal(temp).all()).isEmpty();
        assertThat(files()).isEmpty();
    }

    @Test
    void aPlanLeftHalfWrittenByACrashIsRemovedOnceItIsOldButNotWhileItMayStillBeBeingWritten() throws IOException {
        Path old = temp.resolve("3b9d2c1e-5f6a-4b7c-8d9e-0f1a2b3c4d5e.plan.tmp");
        Path young = temp.resolve("4c0e3d2f-6a7b-4c8d-9e0f-1a2b3c4d5e6f.plan.tmp");
        Files.writeString(old, "{\"version\":1,\"entries\":[{\"direction\":\"UPL");
        Files.writeString(young, "{\"version\":1,\"entries\":[{\"direction\":\"UPL");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

        assertThat(new Journal(temp).all()).isEmpty();

        assertThat(files()).containsExactly(young.getFileName().toString());
    }

    @Test
    void aPartOfAPlannedUploadRecordsNothingAndMakesNoFile() throws IOException {
        List<JournalEntry.Upload> drop = plannedUploads(2);
        Journal journal = new Journal(temp);
        journal.savePlanned(drop);
        String plan = planFile().getFileName().toString();

        journal.recordPart(drop.get(0).id(), 1, "yZRlqg==");

        assertThat(journal.load(drop.get(0).id())).contains(drop.get(0));
        assertThat(files()).containsExactly(plan);
        assertThat(new Journal(temp).load(drop.get(0).id())).contains(drop.get(0));
    }

    @Test
    void aReloadShowsThePlansAnotherProcessWroteAndTheEntriesThatLeftThem() throws IOException {
        Journal here = new Journal(temp);
        Journal there = new Journal(temp);
        assertThat(here.all()).isEmpty();
        List<JournalEntry.Upload> drop = plannedUploads(3);
        there.savePlanned(drop);

        here.reload();
        assertThat(here.all()).containsExactlyElementsOf(drop);

        there.delete(drop.get(0).id());
        here.reload();
        assertThat(here.all()).containsExactly(drop.get(1), drop.get(2));

        finishAll(here, drop.get(1), drop.get(2)); // the last to leave removes the plan
        there.reload();
        assertThat(there.all()).isEmpty();
    }

    @Test
    void aPlanHoldsAtMostTenThousandUploadsAndOnlyNewPlannedOnes() throws IOException {
        Journal journal = new Journal(temp);
        journal.save(planned(20_000));

        assertThatThrownBy(() -> journal.savePlanned(plannedUploads(10_001))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10000");
        assertThatThrownBy(() -> journal.savePlanned(List.of(planned(1), created(planned(2)))))
                .as("already known to storage").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> journal.savePlanned(List.of(planned(1), planned(1))))
                .as("twice").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> journal.savePlanned(List.of(planned(1), planned(20_000))))
                .as("already journaled").isInstanceOf(IllegalArgumentException.class);
        journal.savePlanned(List.of());

        assertThat(files()).containsExactly(planned(20_000).id() + ".json");
        assertThat(new Journal(temp).all()).containsExactly(planned(20_000));
    }
}
