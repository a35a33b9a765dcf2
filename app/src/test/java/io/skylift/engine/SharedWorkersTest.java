package io.skylift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.testing.FaultProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workers carry every transfer's bytes: one transfer waiting on the API must not hold them. */
class SharedWorkersTest {

    static final long PART = 5L * 1024 * 1024;
    static final Predicate<FaultProxy.RequestHead> SIGN = h -> h.path().endsWith("/parts/sign");

    @TempDir
    Path dir;
    @AutoClose
    ProxiedSandbox proxied;

    @Test
    void anUploadWhoseSignCallStallsDoesNotHoldTheWorkersAnotherUploadNeeds() throws Exception {
        proxied = ProxiedSandbox.start(dir, Duration.ofSeconds(300));
        TransferEngine engine = proxied.engine(dir.resolve("journal"), 2, PART, Duration.ofSeconds(40));
        proxied.api.stallNext(1, SIGN, Duration.ofSeconds(30));
        Transfer stuck = engine.upload(RoundTripTest.randomFile(dir, "stuck.bin", 6 * PART, 41), "shared").getFirst();
        PauseResponsivenessTest.awaitUntil(() -> proxied.api.requestsSeen(SIGN) >= 1, "the first upload asks to sign its parts");

        long start = System.nanoTime();
        Transfer other = engine.upload(RoundTripTest.randomFile(dir, "other.bin", 4 * PART, 42), "shared").getFirst();
        TransferResult done = other.stopped().get(60, TimeUnit.SECONDS);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

        assertThat(done.state()).as(done.reason()).isEqualTo(TransferState.DONE);
        // Well before the stalled call's 30 s: the stuck upload's second worker did not sit waiting for it.
        assertThat(seconds).as("the other upload took %d s", seconds).isLessThan(15);
        assertThat(stuck.state()).as("the stuck upload is still waiting for its links").isEqualTo(TransferState.RUNNING);
        stuck.cancel();
        assertThat(stuck.stopped().get(60, TimeUnit.SECONDS).state()).isEqualTo(TransferState.CANCELLED);
    }
}
