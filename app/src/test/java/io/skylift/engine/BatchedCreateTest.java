package io.skylift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.testing.RandomFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many files' creates share a call ({@code POST /v1/batch/uploads}), and what one file meets there
 * stays that file's: storage too busy for one is asked again for it alone, and a backend without the
 * batch route is asked one file at a time.
 */
class BatchedCreateTest {

    static final int PART = 5 * 1024 * 1024;

    @TempDir
    static Path dir;
    static ProxiedSandbox proxied;
    static TransferEngine engine;

    @BeforeAll
    static void start() throws IOException {
        proxied = ProxiedSandbox.start(dir, Duration.ofSeconds(300));
        engine = proxied.engine(dir.resolve("journal"), 4, PART, Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() {
        proxied.close();
    }

    static Path folder(String name) throws IOException {
        Path top = Files.createDirectories(dir.resolve(name));
        for (int i = 0; i < 30; i++) {
            RandomFile.write(top, "IMG_%04d.jpg".formatted(i), 2000 + i, i);
        }
        RandomFile.write(top, "clip.mp4", 2L * PART + 5, 77); // a multipart upload, created in the same batch
        return top;
    }

    static List<TransferResult> run(List<Transfer> transfers) {
        return transfers.stream().map(t -> t.stopped().join()).toList();
    }

    @Test
    void aFileStorageIsTooBusyToCreateForAMomentIsAskedAgainAndItsBatchGoesOn() throws Exception {
        Path folder = folder("busy");
        // More refusals than the backend's own SDK retries, fewer than the engine's attempts.
        proxied.sandbox.storageFaults().slowDownNextCreates("u/sandbox-photographer/busy/clip.mp4", 8);

        List<TransferResult> results = run(engine.upload(folder, ""));

        assertThat(results).hasSize(31).allSatisfy(r -> assertThat(r.state()).as(r.file() + ": " + r.reason()).isEqualTo(TransferState.DONE));
        assertThat(results).filteredOn(r -> r.file().endsWith("clip.mp4")).singleElement()
                .satisfies(r -> assertThat(r.bytesTransferred()).isEqualTo(2L * PART + 5));
    }

    @Test
    void aFileStorageStaysTooBusyForPausesResumableWhileTheOthersFinish() throws Exception {
        Path folder = folder("too-busy");
        proxied.sandbox.storageFaults().slowDownNextCreates("u/sandbox-photographer/too-busy/clip.mp4", 1000);
        try {
            List<TransferResult> results = run(engine.upload(folder, ""));

            TransferResult clip = results.stream().filter(r -> r.file().endsWith("clip.mp4")).findFirst().orElseThrow();
            assertThat(clip.state()).isEqualTo(TransferState.PAUSED);
            assertThat(clip.reason()).containsIgnoringCase("busy");
            assertThat(results).filteredOn(r -> r != clip).hasSize(30)
                    .allSatisfy(r -> assertThat(r.state()).as(r.reason()).isEqualTo(TransferState.DONE));
        } finally {
            proxied.sandbox.storageFaults().clear();
        }
        assertThat(engine.resumeAll()).singleElement().satisfies(t -> assertThat(t.stopped().join().state()).isEqualTo(TransferState.DONE));
    }

    @Test
    void aBackendWithoutTheBatchRouteIsAskedOneFileAtATime() throws Exception {
        Path folder = folder("older");
        // An engine of its own: it remembers that the route is missing.
        TransferEngine older = proxied.engine(dir.resolve("journal-older"), 4, PART, Duration.ofSeconds(20));
        proxied.api.failNext(1000, head -> head.path().startsWith("/v1/batch/"), 404);
        int singleCreates = proxied.api.requestsSeen(head -> head.path().equals("/v1/uploads"));
        try {
            List<TransferResult> results = run(older.upload(folder, ""));

            assertThat(results).hasSize(31).allSatisfy(r -> assertThat(r.state()).as(r.reason()).isEqualTo(TransferState.DONE));
            assertThat(proxied.api.requestsSeen(head -> head.path().equals("/v1/uploads")) - singleCreates).as("single creates").isEqualTo(31);
        } finally {
            proxied.api.clearFaults();
        }
    }

    @Test
    void aFolderOfManyFilesCostsOneLookAtTheLimitsAndFarFewerCreateCallsThanFiles() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("cheap"));
        for (int i = 0; i < 300; i++) {
            RandomFile.write(folder, "IMG_%04d.jpg".formatted(i), 500 + i, i);
        }
        TransferEngine fresh = proxied.engine(dir.resolve("journal-cheap"), 8, 0, Duration.ofSeconds(20));
        int me = proxied.api.requestsSeen(head -> head.path().equals("/v1/me"));
        int batches = proxied.api.requestsSeen(head -> head.path().equals("/v1/batch/uploads"));
        int singles = proxied.api.requestsSeen(head -> head.path().startsWith("/v1/uploads"));

        assertThat(run(fresh.upload(folder, ""))).allSatisfy(r -> assertThat(r.state()).as(r.reason()).isEqualTo(TransferState.DONE));

        assertThat(proxied.api.requestsSeen(head -> head.path().equals("/v1/me")) - me).as("asked once, not once per file").isEqualTo(1);
        // Files reach their create about as fast as PUTs finish; a call waits a moment for more.
        int calls = proxied.api.requestsSeen(head -> head.path().equals("/v1/batch/uploads")) - batches;
        System.out.printf("300 small files: %d create calls%n", calls);
        assertThat(calls).as("create calls for 300 files").isBetween(3, 300 / 10);
        assertThat(proxied.api.requestsSeen(head -> head.path().startsWith("/v1/uploads")) - singles).as("no per-file calls").isZero();
    }
}
