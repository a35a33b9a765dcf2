package io.skylift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.sandbox.Sandbox;
import io.skylift.testing.FaultProxy;
import io.skylift.testing.SandboxBucket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A folder of many small files costs the journal one durable write, not one per file: while its
 * files are being fetched the journal holds the folder's plan and no entry of each file's own.
 */
class FolderDownloadJournalTest {

    static final Predicate<FaultProxy.RequestHead> OBJECT_GET = h -> h.method().equals("GET") && h.path().startsWith("/skylift/u/");

    @TempDir
    static Path dir;
    static ProxiedSandbox proxied;

    @BeforeAll
    static void start() throws IOException {
        proxied = ProxiedSandbox.start(dir, Duration.ofSeconds(300));
        try (var bucket = SandboxBucket.client(proxied.sandbox)) {
            for (int i = 0; i < 40; i++) {
                int n = i;
                bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key("u/sandbox-photographer/many/f" + n % 4 + "/small-" + n + ".txt"),
                        RequestBody.fromString("small file " + n));
            }
        }
    }

    @AfterAll
    static void stop() {
        proxied.close();
    }

    static List<String> journalFiles(Path journal) throws IOException {
        if (!Files.isDirectory(journal)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(journal)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void whileItsSmallFilesAreFetchedTheJournalHoldsOnlyTheFoldersPlan() throws Exception {
        Path journal = dir.resolve("journal");
        TransferEngine engine = proxied.engine(journal, 4, 0, Duration.ofSeconds(20));
        proxied.s3.stallNext(4, OBJECT_GET, Duration.ofSeconds(3));

        List<Transfer> transfers = engine.download(List.of("u/sandbox-photographer/many/"), dir.resolve("out"), IfExists.FAIL);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (proxied.s3.requestsSeen(OBJECT_GET) < 4) {
            assertThat(System.nanoTime()).as("four files being fetched").isLessThan(deadline);
            Thread.onSpinWait();
        }
        List<String> whileFetching = journalFiles(journal);

        assertThat(transfers).hasSize(40).allSatisfy(t -> assertThat(t.stopped().join().state()).isEqualTo(TransferState.DONE));
        assertThat(whileFetching).as("one plan for the folder (and the log of files that left it), nothing per file")
                .allMatch(name -> name.endsWith(".plan") || name.endsWith(".plan.log")).anyMatch(name -> name.endsWith(".plan"));
        assertThat(journalFiles(journal)).as("nothing once the folder is done").isEmpty();
    }
}
