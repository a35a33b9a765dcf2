package io.skylift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.engine.internal.retry.Backoff;
import io.skylift.testing.FaultProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How often one part is sent is what the retry policy says, and nothing else: every send that
 * reaches storage is counted at a proxy in front of it.
 */
class PartSendBudgetTest {

    static final int PART = 5 * 1024 * 1024;
    static final Predicate<FaultProxy.RequestHead> PART_2 = h -> h.method().equals("PUT")
            && Arrays.asList(h.query().split("&")).contains("partNumber=2");

    @TempDir
    Path dir;
    ProxiedSandbox proxied;
    FaultProxy s3Proxy;
    TransferEngine engine;

    @BeforeEach
    void start() throws IOException {
        proxied = ProxiedSandbox.start(dir, Duration.ofSeconds(300));
        s3Proxy = proxied.s3;
        engine = proxied.engine(dir.resolve("journal"), 4, PART, Duration.ofSeconds(20));
    }

    @AfterEach
    void stop() {
        proxied.close();
    }

    // Resets right after the request head (the body never starts) and 503s, taking turns.
    void failPart2(int times) {
        for (int i = 0; i < times; i++) {
            if (i % 2 == 0) {
                s3Proxy.resetNext(1, PART_2, 0);
            } else {
                s3Proxy.failNext(1, PART_2, 503);
            }
        }
    }

    void assertStoredExactly(Path source, String key) throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        TransferResult down = engine.download(key, out, IfExists.FAIL).stopped().join();
        assertThat(down.state()).as(down.reason()).isEqualTo(TransferState.DONE);
        assertThat(Files.mismatch(source, out.resolve(source.getFileName()))).isEqualTo(-1);
    }

    @Test
    void aPartThatFailsFewerTimesThanItsBudgetIsSentOnceMoreThanItFailedAndTheUploadCompletes() throws IOException {
        Path source = RoundTripTest.randomFile(dir, "few.bin", 3L * PART + 11, 21);
        int failures = 3;
        failPart2(failures);

        TransferResult up = engine.upload(source, "budget").getFirst().stopped().join();

        assertThat(up.state()).as(up.reason()).isEqualTo(TransferState.DONE);
        assertThat(s3Proxy.requestsSeen(PART_2)).as("sends of part 2").isEqualTo(failures + 1);
        assertStoredExactly(source, up.key());
    }

    @Test
    void aPartThatKeepsFailingIsSentExactlyMaxAttemptsTimesThenTheUploadPausesAndResumesLater() throws IOException {
        Path source = RoundTripTest.randomFile(dir, "many.bin", 3L * PART + 11, 22);
        int budget = Backoff.PARTS.maxAttempts();
        failPart2(budget + 2);

        Transfer upload = engine.upload(source, "budget").getFirst();
        TransferResult paused = upload.stopped().join();

        assertThat(paused.state()).as(paused.reason()).isEqualTo(TransferState.PAUSED);
        assertThat(s3Proxy.requestsSeen(PART_2)).as("sends of part 2").isEqualTo(budget);
        assertThat(engine.unfinished()).as("resumable").singleElement();

        s3Proxy.clearFaults();
        upload.resume();
        TransferResult done = upload.stopped().join();
        assertThat(done.state()).as(done.reason()).isEqualTo(TransferState.DONE);
        assertStoredExactly(source, done.key());
    }
}
