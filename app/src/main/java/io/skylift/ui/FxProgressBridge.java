package io.skylift.ui;

import io.skylift.engine.Progress;
import io.skylift.engine.TransferListener;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javafx.application.Platform;

/**
 * Carries engine progress onto the JavaFX thread without flooding it: engine threads only record
 * the latest snapshot per transfer; ten times a second, if anything changed, one task takes them
 * to the FX thread as one batch. However many parts finish, the FX thread does at most one update
 * per transfer per tick, and nothing at all while nothing moves (no animation keeps it awake).
 */
public final class FxProgressBridge implements TransferListener {

    static final long TICK_MILLIS = 100;
    /** Snapshots one FX task applies; more wait for the next task, posted at once. */
    static final int MAX_PER_TASK = 250;

    private final Map<String, Progress> pending = new ConcurrentHashMap<>();
    private final Consumer<List<Progress>> apply;
    private final AtomicBoolean posted = new AtomicBoolean();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("skylift-ui-progress").daemon(true).factory());

    /** @param apply runs on the JavaFX thread with the snapshots that changed since the last tick */
    public FxProgressBridge(Consumer<List<Progress>> apply) {
        this.apply = apply;
    }

    public void start() {
        ticker.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    public void stop() {
        ticker.shutdownNow();
    }

    /**
     * True when every snapshot received so far has been applied on the FX thread. Call it on the
     * FX thread: there, a batch is either still queued (not idle) or already applied.
     */
    public boolean isIdle() {
        return pending.isEmpty() && !posted.get();
    }

    // One batch in flight at a time: a busy FX thread gets fewer, larger batches, never a backlog.
    private void tick() {
        if (pending.isEmpty() || !posted.compareAndSet(false, true)) {
            return;
        }
        Platform.runLater(this::applySome);
    }

    // At most MAX_PER_TASK snapshots per FX task, the rest in the tasks right after, so that what else
    // waits for the FX thread (input, layout, a pulse) goes between them: 10,000 transfers queued at
    // once are applied in slices of a few milliseconds, not in one long stall.
    private void applySome() {
        List<Progress> batch = new ArrayList<>(Math.min(pending.size(), MAX_PER_TASK));
        Iterator<String> ids = pending.keySet().iterator();
        while (ids.hasNext() && batch.size() < MAX_PER_TASK) {
            Progress p = pending.remove(ids.next());
            if (p != null) {
                batch.add(p);
            }
        }
        if (!batch.isEmpty()) {
            apply.accept(batch);
        }
        if (pending.isEmpty()) {
            posted.set(false); // a snapshot recorded from here on waits for the next tick
        } else {
            Platform.runLater(this::applySome);
        }
    }

    @Override
    public void onProgress(Progress progress) {
        pending.put(progress.transferId(), progress);
    }

    @Override
    public void onStateChanged(Progress progress) {
        pending.put(progress.transferId(), progress);
    }
}
