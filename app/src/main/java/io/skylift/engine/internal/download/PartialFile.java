package io.skylift.engine.internal.download;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temporary file a download fills, range by range, at any position. Whole blocks are written
 * around the page cache ({@code O_DIRECT}) where the file system allows it: copying each byte into
 * the cache, with every range's writer queued on the file's lock, was half of a download's CPU
 * (profiled here: 53 % of its samples in {@code pwrite}, most of them the kernel's copy), for bytes
 * nobody reads before they are on disk. What is not whole blocks (a file's last bytes, a file
 * smaller than {@link #DIRECT_FROM}) and every read go through the cache.
 *
 * <p>A file system that opens the file that way and then refuses such a write (some do, with
 * {@code EINVAL}) gets that write again through the cache, and every later one. Thread-safe:
 * range jobs write disjoint regions at once.
 */
final class PartialFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PartialFile.class);

    /**
     * Alignment of position, length and memory that writes around the cache need: the logical block
     * size of nearly every disk is 512 or 4096 bytes, and 4096 serves both. A file system that needs
     * more refuses the write, and the cache takes it.
     */
    static final int BLOCK = 4096;

    /** Files smaller than this are written through the cache only: a second descriptor would buy nothing. */
    static final long DIRECT_FROM = 1024 * 1024;

    private final FileChannel cached;
    private volatile FileChannel direct;

    private PartialFile(FileChannel cached, FileChannel direct) {
        this.cached = cached;
        this.direct = direct;
    }

    /** Opens (creating it if need be) the file that will hold {@code size} bytes. */
    static PartialFile open(Path path, long size) throws IOException {
        FileChannel cached = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        FileChannel direct = null;
        if (size >= DIRECT_FROM) {
            try {
                direct = FileChannel.open(path, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
            } catch (UnsupportedOperationException | IOException e) {
                // tmpfs on older kernels, some network and FUSE file systems, platforms without it.
                LOG.debug("Writing {} through the page cache: {}", path.getFileName(), e.toString());
            }
        }
        return new PartialFile(cached, direct);
    }

    /** A buffer that {@link #write} can send around the cache: direct, its memory aligned to {@link #BLOCK}. */
    static ByteBuffer alignedBuffer(int bytes) {
        // An aligned slice starts at the first aligned address and ends at the last: up to a block lost at each end.
        return ByteBuffer.allocateDirect(bytes + 2 * BLOCK).alignedSlice(BLOCK).slice(0, bytes);
    }

    /** Whether whole blocks go around the page cache (false after a refusal). */
    boolean direct() {
        return direct != null;
    }

    /**
     * Writes what {@code source} holds at {@code position}, all of it. Around the cache only when
     * the source is from {@link #alignedBuffer} with its position at the buffer's start.
     */
    void write(ByteBuffer source, long position) throws IOException {
        FileChannel around = direct;
        int whole = source.remaining() - source.remaining() % BLOCK;
        if (around != null && whole > 0 && position % BLOCK == 0 && source.position() == 0 && source.isDirect()) {
            ByteBuffer blocks = source.slice(0, whole);
            try {
                writeFully(around, blocks, position);
                source.position(whole);
                position += whole;
            } catch (IOException e) {
                // Refused (EINVAL), or a real failure such as a full disk, which the cache reports again below.
                LOG.debug("Writing through the page cache from now on: {}", e.toString());
                direct = null;
                closeQuietly(around);
            }
        }
        writeFully(cached, source, position);
    }

    int read(ByteBuffer into, long position) throws IOException {
        return cached.read(into, position);
    }

    /** Forces what was written to the disk: the data, and with {@code metadata} the file's size and times too. */
    void force(boolean metadata) throws IOException {
        cached.force(metadata);
    }

    @Override
    public void close() throws IOException {
        FileChannel around = direct;
        if (around != null) {
            closeQuietly(around);
        }
        cached.close();
    }

    private static void writeFully(FileChannel channel, ByteBuffer source, long position) throws IOException {
        long at = position;
        while (source.hasRemaining()) {
            at += channel.write(source, at);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("Closing a file opened for writes around the page cache: {}", e.toString());
        }
    }
}
