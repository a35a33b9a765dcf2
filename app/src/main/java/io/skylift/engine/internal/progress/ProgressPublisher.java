package io.skylift.engine.internal.progress;

import io.skylift.engine.Progress;
import io.skylift.engine.Transfer;
import io.skylift.engine.TransferState;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes every watched transfer's progress at most {@value #HZ} times a second, from one thread,
 * and only when something changed: listeners (a terminal, a window) are never flooded however
 * many parts finish. Rates are measured here, over the last seconds.
 */
public final class ProgressPublisher implements AutoCloseable {

    /** Receives snapshots; {@code stateChanged} when the state differs from the last one published. */
    @FunctionalInterface
    public interface Sink {
        void publish(Progress progress, boolean stateChanged);
    }

    static final int HZ = 10;

    private final Sink sink;
    private final Map<Transfer, Watched> watched = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    private static final class Watched {
        final RateMeter rate = new RateMeter();
        long lastBytes = -1;
        TransferState lastState;
    }

    public ProgressPublisher(Sink sink) {
        this.sink = sink;
        this.thread = Thread.ofPlatform().name("skylift-progress").daemon(true).start(this::loop);
    }

    public void watch(Transfer transfer) {
        watched.putIfAbsent(transfer, new Watched());
    }

    public void forget(Transfer transfer) {
        watched.remove(transfer);
    }

    /** The transfer's progress now, with the measured rate. */
    public Progress snapshot(Transfer transfer) {
        Watched w = watched.get(transfer);
        Progress raw = transfer.progress();
        if (w == null) {
            return raw;
        }
        synchronized (w) {
            long rate = w.rate.bytesPerSecond(System.currentTimeMillis(), raw.bytesDone());
            return withRate(raw, rate);
        }
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(1000 / HZ);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.currentTimeMillis();
            for (Map.Entry<Transfer, Watched> entry : watched.entrySet()) {
                Watched w = entry.getValue();
                Progress snapshot;
                boolean stateChanged;
                synchronized (w) {
                    Progress raw = entry.getKey().progress();
                    if (raw.state() != TransferState.RUNNING) {
                        w.rate.reset();
                    }
                    w.rate.sample(now, raw.bytesDone());
                    stateChanged = raw.state() != w.lastState;
                    if (!stateChanged && raw.bytesDone() == w.lastBytes) {
                        continue;
                    }
                    w.lastBytes = raw.bytesDone();
                    w.lastState = raw.state();
                    snapshot = withRate(raw, w.rate.bytesPerSecond(now, raw.bytesDone()));
                }
                sink.publish(snapshot, stateChanged);
            }
        }
    }

    private static Progress withRate(Progress raw, long rate) {
        java.time.Duration eta = rate > 0 && raw.state() == TransferState.RUNNING
                ? java.time.Duration.ofSeconds((raw.bytesTotal() - raw.bytesDone() + rate - 1) / rate) : null;
        return new Progress(raw.transferId(), raw.direction(), raw.name(), raw.state(), raw.bytesDone(), raw.bytesTotal(), rate,
                eta, raw.reason());
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
