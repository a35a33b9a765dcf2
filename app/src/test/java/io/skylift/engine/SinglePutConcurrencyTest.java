package io.skylift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.testing.FaultProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small files, which go as one PUT each, are bounded by the connection limit like the parts of big ones. */
class SinglePutConcurrencyTest {

    @TempDir
    Path dir;
    @AutoClose
    ProxiedSandbox proxied;

    @Test
    void twentySmallFilesWithTwoConnectionsNeverHaveMoreThanTwoPutsOpenAtOnce() throws IOException {
        proxied = ProxiedSandbox.start(dir, Duration.ofSeconds(300));
        FaultProxy s3Proxy = proxied.s3;
        TransferEngine engine = proxied.engine(dir.resolve("journal"), 2, 0, Duration.ofSeconds(20));
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
