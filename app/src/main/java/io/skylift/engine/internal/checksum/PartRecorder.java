package io.skylift.engine.internal.checksum;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands the finished parts (or ranges) of one transfer, with their CRC32C, to its journal one at a
 * time, without a lock: a worker that finds another one writing leaves its part in the queue, and
 * the writing worker records it before it stops. No worker waits for another's disk write, and the
 * journal never sees two writes of one transfer at once. The queue holds at most the parts in
 * flight (one per worker). The flow's own writes of the whole entry ({@link #alone}) wait for the
 * record being written, at most one short append; a pause never waits here. Thread-safe.
 *
 * <pre>{@code
 * var recorder = new PartRecorder((part, crc) -> run.journalPart(part, crc));
 * recorder.record(3, "yZRlqg==");
 * }</pre>
 */
public final class PartRecorder {

    /** Writes one record; may throw, and the worker that called {@link #record} then sees it. */
    public interface Sink {
        void write(int part, String crc32c);
    }

    private record Done(int part, String crc32c) {}

    private final Sink sink;
    private final ConcurrentLinkedQueue<Done> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();

    public PartRecorder(Sink sink) {
        this.sink = sink;
    }

    /** Records the part now, or has the worker writing already record it next. */
    public void record(int part, String crc32c) {
        queue.add(new Done(part, crc32c));
        drainIfIdle();
    }

    /** Runs {@code write} (a save or delete of the whole entry) after the parts recorded so far, and alone. */
    public void alone(Runnable write) {
        while (!writing.compareAndSet(false, true)) {
            LockSupport.parkNanos(100_000);
        }
        try {
            drain();
            write.run();
        } finally {
            writing.set(false);
        }
        drainIfIdle();
    }

    // Checked again after letting go: a part queued just before then would otherwise wait for the next one.
    private void drainIfIdle() {
        while (!queue.isEmpty() && writing.compareAndSet(false, true)) {
            try {
                drain();
            } finally {
                writing.set(false);
            }
        }
    }

    private void drain() {
        for (Done next; (next = queue.poll()) != null; ) {
            sink.write(next.part(), next.crc32c());
        }
    }
}
