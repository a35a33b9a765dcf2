package io.skylift.engine.internal.upload;

import io.skylift.engine.TransferException;
import io.skylift.engine.TransferException.Reason;
import io.skylift.engine.internal.checksum.Crc32c;
import io.skylift.engine.internal.journal.JournalEntry;
import io.skylift.engine.internal.local.LocalFile;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The local file an upload reads: its checksums, whether it is still the file the upload began with,
 * and the words for when it is not. Thread-safe once {@link #inspect inspected} (part jobs read it at once).
 */
final class SourceFile {

    private final Path file;
    private volatile String name;
    private volatile LocalFile local;

    SourceFile(Path file, String name) {
        this.file = file;
        this.name = name;
    }

    Path path() {
        return file;
    }

    /** The file goes to storage under another name (a kept copy): messages name that. */
    void renamed(String remoteName) {
        name = remoteName;
    }

    /**
     * Reads the file's size, time and fingerprint for a new upload, or, for an upload {@code started}
     * earlier (null for a new one), checks that the file is still the one it began with. A file
     * smaller than {@code sampledFrom} bytes gets no fingerprint: it goes as one PUT whose CRC32C is
     * signed, so storage itself refuses bytes that changed, and nothing of it is ever resumed.
     *
     * @throws TransferException FILE_CHANGED when it is not; LOCAL_IO when it is missing (its cause a
     *                           {@link NoSuchFileException}) or cannot be read
     */
    void inspect(JournalEntry.Upload started, long sampledFrom) {
        try {
            if (started == null) {
                if (!Files.isRegularFile(file)) {
                    throw new NoSuchFileException(file.toString());
                }
                long size = Files.size(file);
                if (size < sampledFrom) {
                    // Opened once, so an unreadable file is said to be one before anything is asked of storage.
                    FileChannel.open(file, StandardOpenOption.READ).close();
                    local = new LocalFile(file, size, Files.getLastModifiedTime(file).toMillis(), null);
                } else {
                    local = LocalFile.inspect(file);
                }
            } else {
                local = new LocalFile(file, started.size(), started.modifiedMillis(), started.fingerprint());
                if (!local.unchanged()) {
                    throw new TransferException(Reason.FILE_CHANGED, name + " changed since its upload started, so the upload was"
                            + " cancelled rather than mixing old and new content. Upload the file again.", false);
                }
            }
        } catch (NoSuchFileException e) {
            throw new TransferException(Reason.LOCAL_IO, "Cannot upload " + file + ": the file does not exist (any more).", false, e);
        } catch (AccessDeniedException e) {
            throw new TransferException(Reason.LOCAL_IO, "Cannot read " + file + ": permission denied. Check the file's permissions.", false, e);
        } catch (IOException e) {
            throw new TransferException(Reason.LOCAL_IO, "Cannot read " + file + ": " + e.getMessage(), false, e);
        }
    }

    LocalFile local() {
        return local;
    }

    /** The CRC32C of {@code length} bytes from {@code position}, read from disk. */
    String checksum(long position, long length) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            // Sized to the region: with thousands of small photos, 64 KiB each was most of what the engine allocated.
            return Crc32c.toBase64(Crc32c.of(channel, position, length, ByteBuffer.allocate((int) Math.clamp(length, 1, 64 * 1024))));
        } catch (EOFException e) {
            throw changedDuringUpload();
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    boolean stillUnchanged() {
        try {
            return local.looksUnchanged();
        } catch (IOException e) {
            return false;
        }
    }

    TransferException changedDuringUpload() {
        if (!Files.exists(file)) {
            return new TransferException(Reason.FILE_CHANGED, name + " was deleted or moved during the upload; the"
                    + " unfinished upload was cancelled.", false);
        }
        return new TransferException(Reason.FILE_CHANGED, name + " changed while it was being uploaded; nothing was"
                + " completed from the mix. Upload the file again once it is saved.", false);
    }

    TransferException readFailure(IOException e) {
        if (!Files.exists(file)) {
            return new TransferException(Reason.FILE_CHANGED, name + " was deleted or moved during the upload.", false, e);
        }
        return new TransferException(Reason.LOCAL_IO, "Cannot read " + file + ": " + e.getMessage(), true, e);
    }
}
