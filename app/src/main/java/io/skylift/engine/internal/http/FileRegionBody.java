package io.skylift.engine.internal.http;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongConsumer;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/**
 * A request body streamed from a region of a file through one fixed 64 KiB buffer: memory does not
 * grow with the part size. Progress counts bytes as they are flushed to the socket, not as they
 * are buffered; the caller takes back {@link #writtenThisAttempt()} when the attempt fails.
 *
 * <p>One-shot: OkHttp must never write it a second time behind the retry policy's back, so a failed
 * send is always the engine's to count and decide on. Not thread-safe: one body per attempt.
 *
 * <pre>{@code
 * var body = new FileRegionBody(file, position, length, null, run::moved, throttle);
 * http.newCall(new Request.Builder().url(url).put(body).build()).execute();
 * }</pre>
 */
public final class FileRegionBody extends RequestBody {

    static final int BUFFER_BYTES = 64 * 1024;

    private final Path file;
    private final long position;
    private final long length;
    private final MediaType type;
    private final LongConsumer progress;
    private final Throttle throttle;
    private long writtenThisAttempt;

    public FileRegionBody(Path file, long position, long length, MediaType type, LongConsumer progress, Throttle throttle) {
        this.file = file;
        this.position = position;
        this.length = length;
        this.type = type;
        this.progress = progress;
        this.throttle = throttle;
    }

    @Override
    public MediaType contentType() {
        return type;
    }

    @Override
    public long contentLength() {
        return length;
    }

    @Override
    public boolean isOneShot() {
        return true;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
        // Sized to the region: a small file's PUT needs no 64 KiB buffer.
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.clamp(length, 1, BUFFER_BYTES));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long at = position;
            long end = position + length;
            while (at < end) {
                buffer.clear().limit((int) Math.min(BUFFER_BYTES, end - at));
                int read = channel.read(buffer, at);
                if (read < 0) {
                    throw new EOFException("The file became shorter while it was being sent (at byte " + at + ")");
                }
                buffer.flip();
                throttle.acquire(read);
                sink.write(buffer);
                sink.flush();
                at += read;
                writtenThisAttempt += read;
                progress.accept(read);
            }
        }
    }

    /** Bytes of the last attempt that reached the socket; taken back by the caller if the attempt failed. */
    public long writtenThisAttempt() {
        return writtenThisAttempt;
    }
}
