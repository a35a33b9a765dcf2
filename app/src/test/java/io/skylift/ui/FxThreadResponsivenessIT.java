package io.skylift.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.engine.TransferState;
import io.skylift.ui.queue.FolderRow;
import io.skylift.ui.queue.QueueEntry;
import io.skylift.ui.queue.TransferRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With 500 files queued and 8 transferring, the JavaFX thread stays free. Two probes run for 10 s:
 * an animation timer records the longest gap between frames (the FX thread cannot draw while it is
 * blocked), and a thread posts a task every 5 ms and records how late each runs. Prints both
 * figures; fails above 50 ms. The sandbox runs as its own process, as the service would be remote.
 * A delay counts where the machine ran: what {@link MachinePauses} saw it run nothing of ours at all
 * (a virtual machine's cores taken away) is printed and left out, as no window could draw then.
 * Then the same with 10,000 small files dropped as one folder: how soon its line holds them all,
 * and that the FX thread stays free while they run.
 */
class FxThreadResponsivenessIT {

    static final int FILES = 500;
    static final int MANY = 10_000;

    @TempDir
    Path dir;
    WindowDriver window;

    io.skylift.cli.SkyliftTestProcess.RunningSandbox sandbox;
    static MachinePauses pauses;

    @BeforeAll
    static void watchTheMachine() throws Exception {
        pauses = MachinePauses.watch();
    }

    @AfterAll
    static void stopWatching() throws Exception {
        pauses.close();
    }

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
    void runsWithTheJvmOptionsTheWindowShipsWith() throws Exception {
        // Otherwise these figures measure another collector than the one people's windows run.
        List<String> shipped = List.of(Files.readString(Path.of("src/main/launcher/window-jvm-options")).trim().split("\\s+"));
        assertThat(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()).containsAll(shipped);
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
        MainWindow main = signedInOnTheSandbox();
        // Slow enough that the queue stays full for the whole measurement.
        main.session().engine().tune(8, 0, 4_000_000);
        // The drop itself: 500 files planned and added to the queue while the probe runs.
        long addingEnds = System.nanoTime() + 4_000_000_000L;
        var whileAdding = probingMeanwhile(() -> System.nanoTime() >= addingEnds);
        WindowDriver.onFx(() -> main.upload(files));
        // Files below one part run many at once (their flows mostly wait for a batched create or a
        // worker; FlowQueue's small slots), while 8 connections carry the bytes.
        window.await("500 rows, some transferring", () -> main.queue().rows().size() == FILES
                && main.queue().rows().stream().filter(r -> r.stateProperty().get() == TransferState.RUNNING).count() >= 8);
        long[] adding = whileAdding.join();
        System.out.printf("FX thread while 500 dropped files were queued: worst delay %.1f ms over %d probes%n",
                adding[adding.length - 1] / 1e6, adding.length);

        Measured fx = measure(3_000, 10_000);
        System.out.printf("FX frames: %d over 10 s, longest gap between frames %.1f ms (%.1f ms of it while the machine ran)%n",
                fx.frames.count, fx.longestFrameGapMs(), fx.longestFrameGapRunningMs());
        long queued = WindowDriver.onFx(() -> main.queue().rows().stream().filter(r -> r.stateProperty().get() == TransferState.QUEUED).count());
        long running = WindowDriver.onFx(() -> main.queue().rows().stream().filter(r -> r.stateProperty().get() == TransferState.RUNNING).count());
        System.out.printf("FX thread with %d files (%d queued, %d running): %d probes over 10 s, worst delay %.1f ms (%.1f ms while the"
                + " machine ran), p99 %.1f ms; %s%n", FILES, queued, running, fx.lateness.length, fx.worstMs(), fx.worstRunningMs(), fx.p99Ms(),
                fx.pausesSeen());
        assertThat(queued).isGreaterThan(300);
        fx.assertFree();
        main.session().engine().tune(8, 0, 0);
    }

    @Test
    void tenThousandFilesDroppedAsOneFolderShowAsOneLineWithinSecondsAndTheFxThreadStaysFreeWhileTheyRun() throws Exception {
        Path shoot = Files.createDirectories(dir.resolve("shoot"));
        byte[] small = new byte[1000];
        for (int i = 0; i < MANY; i++) {
            small[0] = (byte) i;
            small[1] = (byte) (i >> 8);
            Files.write(shoot.resolve("IMG_%05d.JPG".formatted(i)), small);
        }
        MainWindow main = signedInOnTheSandbox();
        // About 100 files a second, whatever the engine could do: they are still running while measured.
        main.session().engine().tune(8, 0, 100_000);
        // The moment the folder's line holds every file, seen on the FX thread as the queue changes.
        AtomicLong shownAt = new AtomicLong();
        WindowDriver.onFx(() -> main.queue().entries().addListener((ListChangeListener<QueueEntry>) change -> {
            while (change.next()) {
                change.getAddedSubList().stream().filter(e -> e instanceof FolderRow).map(FolderRow.class::cast).forEach(folder ->
                        folder.files().addListener((ListChangeListener<TransferRow>) filled -> {
                            if (folder.files().size() == MANY) {
                                shownAt.compareAndSet(0, System.nanoTime());
                            }
                        }));
            }
        }));
        // Until a moment after the line showed: adding the rows is part of the drop.
        var whileAdding = probingMeanwhile(() -> shownAt.get() != 0 && System.nanoTime() - shownAt.get() > 500_000_000L);
        long dropped = System.nanoTime();
        WindowDriver.onFx(() -> main.upload(List.of(shoot)));
        window.await("the folder's line with every file", () -> shownAt.get() != 0);
        double seconds = (shownAt.get() - dropped) / 1e9;
        FolderRow folder = WindowDriver.onFx(() -> (FolderRow) main.queue().entries().getFirst());
        long[] adding = whileAdding.join();
        System.out.printf("%,d files dropped as one folder: its line showed all of them after %.2f s (target 2 s); "
                + "worst FX delay while they were planned and added %.1f ms%n", MANY, seconds, adding[adding.length - 1] / 1e6);
        assertThat(WindowDriver.onFx(() -> folder.countProperty().get())).isEqualTo("10,000 files");
        assertThat(WindowDriver.onFx(() -> main.queue().entries().size())).as("one line for the whole folder").isEqualTo(1);

        window.await("files on their way", () -> folder.fractionProperty().get() > 0);
        Measured fx = measure(2_000, 8_000);
        String status = WindowDriver.onFx(() -> folder.statusProperty().get());
        System.out.printf("FX thread while %,d small files run (%s): %d probes over 8 s, worst delay %.1f ms (%.1f ms while the machine"
                + " ran), p99 %.1f ms; longest gap between frames %.1f ms; %s%n", MANY, status, fx.lateness.length, fx.worstMs(),
                fx.worstRunningMs(), fx.p99Ms(), fx.longestFrameGapMs(), fx.pausesSeen());
        assertThat(WindowDriver.onFx(() -> main.queue().activeProperty().get())).as("still running when measured").isGreaterThan(0);
        // Loose, as machines differ; the target of about 2 s is printed above.
        assertThat(seconds).as("seconds from the drop until the folder's line held every file").isLessThan(5);
        // The probe is the measure here; the frame gap, printed, also counts what the engine's
        // 10,000 transfers cost the machine's cores.
        assertThat(fx.worstRunningMs()).as("worst delay of a task posted to the FX thread while they run, in ms").isLessThan(50);
        // This test is about the window, not the sending: what is left pauses.
        WindowDriver.onFx(() -> main.queue().pauseAll());
        main.session().engine().tune(8, 0, 0);
    }

    private MainWindow signedInOnTheSandbox() throws Exception {
        sandbox = io.skylift.cli.SkyliftTestProcess.startSandbox();
        window = new WindowDriver(dir.resolve("data")).open();
        window.clickOn("#api-url").write(sandbox.api());
        window.clickOn("#token").write(sandbox.photographerToken());
        window.clickOn("#connect");
        return window.awaitSignedIn();
    }

    /**
     * How late tasks posted to the FX thread ran (sorted, in ns), the same without what machine pauses
     * explain, and the frames drawn meanwhile.
     */
    record Measured(long[] lateness, long[] latenessRunning, FrameGaps frames, long longestGapRunning, double pausedMs) {
        double worstMs() {
            return lateness[lateness.length - 1] / 1e6;
        }

        double worstRunningMs() {
            return latenessRunning[latenessRunning.length - 1] / 1e6;
        }

        double p99Ms() {
            return lateness[(int) (lateness.length * 0.99)] / 1e6;
        }

        double longestFrameGapMs() {
            return frames.maxGap / 1e6;
        }

        double longestFrameGapRunningMs() {
            return longestGapRunning / 1e6;
        }

        String pausesSeen() {
            return "the machine ran nothing of ours for %.1f ms in all (longest pause over the whole test %.1f ms)"
                    .formatted(pausedMs, pauses.longestMs());
        }

        void assertFree() {
            assertThat(longestFrameGapRunningMs()).as("longest the FX thread went without a frame while the machine ran, in ms").isLessThan(50);
            assertThat(worstRunningMs()).as("worst delay of a task posted to the FX thread while the machine ran, in ms").isLessThan(50);
        }
    }

    /** Probes for {@code warmUpMillis} (the first seconds compile the code paths measured), then measures for {@code millis}. */
    static Measured measure(long warmUpMillis, long millis) throws InterruptedException {
        probeFor(warmUpMillis);
        FrameGaps frames = new FrameGaps();
        double pausedBefore = pauses.totalMs();
        WindowDriver.onFx(frames::start);
        List<long[]> probes = probeFor(millis);
        WindowDriver.onFx(frames::stop);
        pauses.settle();
        // Gaps up to 20 ms are not kept one by one: count the longest of them as it was.
        long longestGapRunning = WindowDriver.onFx(() -> Math.max(Math.min(frames.maxGap, FrameGaps.KEPT),
                frames.gaps.stream().mapToLong(g -> pauses.unexplained(g[0], g[1])).max().orElse(0)));
        long[] running = probes.stream().mapToLong(p -> pauses.unexplained(p[0], p[1])).sorted().toArray();
        return new Measured(sortedLateness(probes), running, frames, longestGapRunning, pauses.totalMs() - pausedBefore);
    }

    /** Probes on another thread until {@code done}; the delays come sorted. */
    static java.util.concurrent.CompletableFuture<long[]> probingMeanwhile(java.util.function.BooleanSupplier done) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return sortedLateness(probeUntil(done));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Records the longest time between two frames: how long the FX thread could not run a pulse. */
    static final class FrameGaps extends javafx.animation.AnimationTimer {
        long last;
        long maxGap;
        int count;
        static final long KEPT = 20_000_000L;
        // Gaps over KEPT ns, as {from, to}: whether the machine was running then is asked afterwards.
        final List<long[]> gaps = new ArrayList<>();

        @Override
        public void handle(long now) {
            if (last != 0) {
                maxGap = Math.max(maxGap, now - last);
                if (now - last > KEPT) {
                    gaps.add(new long[] {last, now});
                }
            }
            last = now;
            count++;
        }
    }

    /** Posts a task to the FX thread every 5 ms for {@code millis}: {posted, ran} for each one, in ns. */
    static List<long[]> probeFor(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        return probeUntil(() -> System.nanoTime() >= end);
    }

    /** How late each task ran, sorted. */
    static long[] sortedLateness(List<long[]> probes) {
        return probes.stream().mapToLong(p -> p[1] - p[0]).sorted().toArray();
    }

    /** As {@link #probeFor}, until {@code done} says so. */
    static List<long[]> probeUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
        List<long[]> probes = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong outstanding = new AtomicLong();
        while (!done.getAsBoolean()) {
            long posted = System.nanoTime();
            outstanding.incrementAndGet();
            Platform.runLater(() -> {
                probes.add(new long[] {posted, System.nanoTime()});
                outstanding.decrementAndGet();
            });
            Thread.sleep(5);
        }
        while (outstanding.get() > 0) {
            Thread.sleep(5);
        }
        synchronized (probes) {
            return new ArrayList<>(probes);
        }
    }
}
