package io.skylift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.sandbox.Sandbox;
import io.skylift.testing.FaultProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small files, which go as one PUT each, are bounded by the connection limit like the parts of big ones. */
class SinglePutConcurrencyTest {

    @TempDir
    Path dir;
    FaultProxy s3Proxy;
    Sandbox sandbox;
    TransferEngine engine;

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

    @Test
    void twentySmallFilesWithTwoConnectionsNeverHaveMoreThanTwoPutsOpenAtOnce() throws IOException {
        sandbox = Sandbox.start(new Sandbox.Settings(0, Optional.of(dir.resolve("sandbox")), Duration.ofSeconds(300))
                .withS3Front(endpoint -> {
                    try {
                        s3Proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1", endpoint.getPort()));
                        return s3Proxy.uri();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
        String token = sandbox.info().photographerToken();
        engine = TransferEngine.start(EngineSettings.of(sandbox.info().api(), () -> token, dir.resolve("journal"))
                .withConcurrency(2).withIoTimeout(Duration.ofSeconds(20)));
        Path photos = Files.createDirectories(dir.resolve("photos"));
        for (int i = 0; i < 20; i++) {
            RoundTripTest.randomFile(photos, "IMG_" + (1000 + i) + ".JPG", 200_000, i);
        }
        s3Proxy.countInFlight(h -> h.method().equals("PUT"));
        // Slow enough that the PUTs of many files would overlap if nothing bounded them.
        s3Proxy.throttle(2L * 1024 * 1024);

        List<Transfer> uploads = engine.upload(photos, "holiday");
        for (Transfer upload : uploads) {
            TransferResult result = upload.stopped().join();
            assertThat(result.state()).as(result.reason()).isEqualTo(TransferState.DONE);
        }

        assertThat(uploads).hasSize(20);
        assertThat(s3Proxy.peakInFlight()).as("PUTs open at once").isBetween(1, 2);
    }
}
