package io.skylift.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.engine.TransferState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With 500 files queued and 8 transferring, the JavaFX thread stays free. Two probes run for 10 s:
 * an animation timer records the longest gap between frames (the FX thread cannot draw while it is
 * blocked), and a thread posts a task every 5 ms and records how late each runs. Prints both
 * figures; fails above 50 ms. The sandbox runs as its own process, as the service would be remote.
 */
class FxThreadResponsivenessIT {

    static final int FILES = 500;

    @TempDir
    Path dir;
    WindowDriver window;

    io.skylift.cli.SkyliftTestProcess.RunningSandbox sandbox;

    @AfterEach
    void close() throws Exception {
        if (window != null) {
            window.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void theFxThreadIsNeverBlockedFor50msWith500QueuedAnd8RunningTransfers() throws Exception {
        Path shoot = Files.createDirectories(dir.resolve("shoot"));
        byte[] photo = new byte[2 * 1024 * 1024];
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            photo[0] = (byte) i;
            files.add(Files.write(shoot.resolve("IMG_%04d.CR3".formatted(i)), photo));
        }
        sandbox = io.skylift.cli.SkyliftTestProcess.startSandbox();
        window = new WindowDriver(dir.resolve("data")).open();
        window.clickOn("#api-url").write(sandbox.api());
        window.clickOn("#token").write(sandbox.photographerToken());
        window.clickOn("#connect");
        MainWindow main = window.awaitSignedIn();
        // Slow enough that the queue stays full for the whole measurement.
        main.session().engine().tune(8, 0, 4_000_000);
        // The drop itself: 500 files planned and added to the queue while the probe runs.
        var whileAdding = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return probe(4_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        WindowDriver.onFx(() -> main.upload(files));
        window.await("500 rows with 8 transferring", () -> main.queue().rows().size() == FILES
                && main.queue().rows().stream().filter(r -> r.stateProperty().get() == TransferState.RUNNING).count() == 8);
        long[] adding = whileAdding.join();
        Arrays.sort(adding);
        System.out.printf("FX thread while 500 dropped files were queued: worst delay %.1f ms over %d probes%n",
                adding[adding.length - 1] / 1e6, adding.length);

        probe(3_000); // warm-up: the first seconds compile the code paths being measured
        FrameGaps frames = new FrameGaps();
        WindowDriver.onFx(frames::start);
        long[] lateness = probe(10_000);
        WindowDriver.onFx(frames::stop);

        Arrays.sort(lateness);
        long max = lateness[lateness.length - 1];
        long p99 = lateness[(int) (lateness.length * 0.99)];
        System.out.printf("FX frames: %d over 10 s, longest gap between frames %.1f ms%n", frames.count, frames.maxGap / 1e6);
        long queued = WindowDriver.onFx(() -> main.queue().rows().stream().filter(r -> r.stateProperty().get() == TransferState.QUEUED).count());
        System.out.printf("FX thread with %d files (%d queued, 8 running): %d probes over 10 s, worst delay %.1f ms, p99 %.1f ms%n",
                FILES, queued, lateness.length, max / 1e6, p99 / 1e6);
        assertThat(queued).isGreaterThan(400);
        assertThat(frames.maxGap / 1e6).as("longest the FX thread went without a frame, in ms").isLessThan(50);
        assertThat(max / 1e6).as("worst delay of a task posted to the FX thread, in ms").isLessThan(50);
        main.session().engine().tune(8, 0, 0);
    }

    /** Records the longest time between two frames: how long the FX thread could not run a pulse. */
    static final class FrameGaps extends javafx.animation.AnimationTimer {
        long last;
        long maxGap;
        int count;

        @Override
        public void handle(long now) {
            if (last != 0) {
                maxGap = Math.max(maxGap, now - last);
            }
            last = now;
            count++;
        }
    }

    /** Posts a task to the FX thread every 5 ms for {@code millis} and returns how late each one ran, in ns. */
    static long[] probe(long millis) throws InterruptedException {
        List<Long> delays = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong outstanding = new AtomicLong();
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            long posted = System.nanoTime();
            outstanding.incrementAndGet();
            Platform.runLater(() -> {
                delays.add(System.nanoTime() - posted);
                outstanding.decrementAndGet();
            });
            Thread.sleep(5);
        }
        while (outstanding.get() > 0) {
            Thread.sleep(5);
        }
        return delays.stream().mapToLong(Long::longValue).toArray();
    }
}
