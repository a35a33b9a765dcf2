package io.skylift.ui;

import io.skylift.engine.Progress;
import io.skylift.engine.TransferListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.util.Duration;

/**
 * Carries engine progress onto the JavaFX thread without flooding it: engine threads only record
 * the latest snapshot per transfer; ten times a second the FX thread takes whatever changed, as one
 * batch. However many parts finish, the FX thread does at most one update per transfer per tick.
 */
public final class FxProgressBridge implements TransferListener {

    static final Duration TICK = Duration.millis(100);

    private final Map<String, Progress> pending = new ConcurrentHashMap<>();
    private final Timeline timeline;

    /** @param apply runs on the JavaFX thread with the snapshots that changed since the last tick */
    public FxProgressBridge(Consumer<List<Progress>> apply) {
        this.timeline = new Timeline(new KeyFrame(TICK, e -> {
            if (pending.isEmpty()) {
                return;
            }
            List<Progress> batch = new ArrayList<>(pending.size());
            for (String id : List.copyOf(pending.keySet())) {
                Progress p = pending.remove(id);
                if (p != null) {
                    batch.add(p);
                }
            }
            apply.accept(batch);
        }));
        timeline.setCycleCount(Timeline.INDEFINITE);
    }

    public void start() {
        timeline.play();
    }

    public void stop() {
        timeline.stop();
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
