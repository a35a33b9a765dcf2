package io.skylift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.engine.internal.retry.Backoff;
import io.skylift.sandbox.Sandbox;
import io.skylift.testing.FaultProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
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
    FaultProxy s3Proxy;
    Sandbox sandbox;
    TransferEngine engine;

    @BeforeEach
    void start() throws IOException {
        sandbox = Sandbox.start(new Sandbox.Settings(0, Optional.of(dir.resolve("sandbox")), Duration.ofSeconds(300))
                .withS3Front(endpoint -> {
                    try {
                        s3Proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1", endpoint.getPort()));
                        return s3Proxy.uri();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
        engine = EngineFixture.engine(sandbox, dir.resolve("journal"), PART, sandbox.info().photographerToken());
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
        if (s3Proxy != null) {
            s3Proxy.close();
        }
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
