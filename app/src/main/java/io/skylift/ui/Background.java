package io.skylift.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javafx.application.Platform;

/**
 * Runs blocking work (API calls, starting a sandbox, reading folders) off the JavaFX thread and
 * hands the result back on it. At most {@value #THREADS} tasks run at once; the rest wait in order.
 */
public final class Background implements AutoCloseable {

    static final int THREADS = 4;

    private final ExecutorService executor = Executors.newFixedThreadPool(THREADS,
            Thread.ofPlatform().name("skylift-ui-work-", 0).daemon(true).factory());

    public <T> void run(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        executor.submit(() -> {
            try {
                T result = work.call();
                Platform.runLater(() -> onSuccess.accept(result));
            } catch (Throwable e) {
                Platform.runLater(() -> onFailure.accept(e));
            }
        });
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
