package io.skylift.ui.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.engine.EngineSettings;
import io.skylift.engine.Transfer;
import io.skylift.engine.TransferEngine;
import io.skylift.engine.TransferResult;
import io.skylift.engine.TransferState;
import io.skylift.sandbox.Sandbox;
import io.skylift.ui.FxProgressBridge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Many small uploads finishing at once, watched the way the window watches them: engine events
 * through the progress bridge onto the FX thread into the queue, as one dropped folder. Once every
 * transfer has stopped and the bridge has handed over all it received, no row may still say
 * "Sending", and the folder's line, kept from each file's changes, says it is done.
 */
class QueueRaceTest {

    static final int FILES = 200;
    static final Duration PATIENCE = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @Test
    void twoHundredUploadsFinishingTogetherLeaveEveryRowDone() throws Exception {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Random random = new Random(11);
        for (int i = 0; i < FILES; i++) {
            byte[] data = new byte[1024 + random.nextInt(4096)];
            random.nextBytes(data);
            Files.write(photos.resolve("IMG_%04d.JPG".formatted(i)), data);
        }
        try (Sandbox sandbox = Sandbox.start(new Sandbox.Settings(0, Optional.of(dir.resolve("sandbox")), Duration.ofSeconds(300)))) {
            String token = sandbox.info().photographerToken();
            try (TransferEngine engine = TransferEngine.start(EngineSettings.of(sandbox.info().api(), () -> token, dir.resolve("journal"))
                    .withConcurrency(8).withIoTimeout(Duration.ofSeconds(20)))) {
                QueueViewModel queue = onFx(QueueViewModel::new);
                FxProgressBridge bridge = new FxProgressBridge(queue::apply);
                engine.addListener(bridge);
                bridge.start();
                try {
                    // Started and added in one FX task, as the window does once its planning returns:
                    // every row exists before the bridge can apply a single event.
                    List<Transfer> transfers = onFx(() -> {
                        List<Transfer> started = engine.upload(photos, "race");
                        queue.addFolder("photos", started);
                        return started;
                    });
                    assertThat(transfers).hasSize(FILES);

                    CompletableFuture.allOf(transfers.stream().map(Transfer::stopped).toArray(CompletableFuture[]::new))
                            .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                    assertThat(transfers).as("the transfers themselves").allSatisfy(t ->
                            assertThat(t.stopped().join()).extracting(TransferResult::state).isEqualTo(TransferState.DONE));
                    awaitOnFx("the bridge to hand over what it received", bridge::isIdle);

                    Map<TransferState, Long> shown = onFx(() -> queue.rows().stream()
                            .collect(Collectors.groupingBy(row -> row.stateProperty().get(), Collectors.counting())));
                    assertThat(onFx(() -> queue.rows().size())).as("one row per transfer").isEqualTo(FILES);
                    assertThat(shown).as("what the rows show once everything stopped").isEqualTo(Map.of(TransferState.DONE, (long) FILES));
                    assertThat(onFx(() -> queue.activeProperty().get())).as("transfers the queue counts as running").isZero();
                    // The folder's line keeps its totals from each file's changes: they must come out exact.
                    FolderRow folder = onFx(() -> (FolderRow) queue.entries().getFirst());
                    assertThat(onFx(() -> queue.entries().size())).as("one line for the folder").isEqualTo(1);
                    assertThat(onFx(() -> folder.statusProperty().get())).isEqualTo("Done");
                    assertThat(onFx(() -> folder.countProperty().get())).isEqualTo(FILES + " files");
                    assertThat(onFx(() -> folder.fractionProperty().get())).isEqualTo(1.0);
                    assertThat(onFx(() -> folder.actionsProperty().get())).as("nothing left to pause, resume or cancel").isEmpty();
                } finally {
                    bridge.stop();
                }
            }
        }
    }

    private static <T> T onFx(Callable<T> work) throws Exception {
        return WaitForAsyncUtils.asyncFx(work).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    private static void awaitOnFx(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!onFx(condition)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Gave up waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(20); // a poll interval, not a wait for the condition
        }
    }
}
