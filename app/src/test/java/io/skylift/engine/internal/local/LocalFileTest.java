package io.skylift.engine.internal.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalFileTest {

    static final int MIB = 1 << 20;
    static final int SAMPLE = 64 * 1024;

    @TempDir
    Path temp;

    Path file;
    byte[] content;

    @BeforeEach
    void writeOneMebibyte() throws IOException {
        content = new byte[MIB];
        new Random(7).nextBytes(content);
        file = Files.write(temp.resolve("footage.mov"), content);
    }

    /** Overwrites one byte in place (same size) and puts the modification time back as it was. */
    void rewriteByteKeepingTheTime(long position) throws IOException {
        FileTime before = Files.getLastModifiedTime(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            byte old = content[(int) position];
            channel.write(ByteBuffer.wrap(new byte[] {(byte) (old ^ 0x5A)}), position);
        }
        Files.setLastModifiedTime(file, before);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(before);
        assertThat(Files.size(file)).isEqualTo(MIB);
    }

    @Test
    void inspectRecordsSizeTimeAndAFingerprint() throws IOException {
        LocalFile local = LocalFile.inspect(file);

        assertThat(local.path()).isEqualTo(file);
        assertThat(local.size()).isEqualTo(MIB);
        assertThat(local.modifiedMillis()).isEqualTo(Files.getLastModifiedTime(file).toMillis());
        assertThat(local.fingerprint()).matches("[0-9a-f]{32}");
    }

    @Test
    void anUntouchedFileIsUnchanged() throws IOException {
        LocalFile local = LocalFile.inspect(file);

        assertThat(local.looksUnchanged()).isTrue();
        assertThat(local.unchanged()).isTrue();
        assertThat(LocalFile.inspect(file)).isEqualTo(local);
    }

    @Test
    void theSameContentInAnotherFileHasTheSameFingerprint() throws IOException {
        Path copy = Files.write(temp.resolve("copy.mov"), content);

        assertThat(LocalFile.inspect(copy).fingerprint()).isEqualTo(LocalFile.inspect(file).fingerprint());
    }

    @Test
    void appendingOneByteIsNoticed() throws IOException {
        LocalFile local = LocalFile.inspect(file);

        Files.write(file, new byte[] {42}, StandardOpenOption.APPEND);

        assertThat(local.looksUnchanged()).isFalse();
        assertThat(local.unchanged()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, SAMPLE - 1, MIB / 2 - SAMPLE / 2, MIB / 2, MIB / 2 + SAMPLE / 2 - 1, MIB - SAMPLE, MIB - 1})
    void rewritingOneSampledByteInPlaceIsCaughtByTheFingerprintEvenWithTheTimeRestored(int position) throws IOException {
        LocalFile local = LocalFile.inspect(file);

        rewriteByteKeepingTheTime(position);

        // Size and time cannot tell: only the fingerprint can.
        assertThat(local.looksUnchanged()).isTrue();
        assertThat(local.unchanged()).isFalse();
    }

    @Test
    void rewritingAByteOutsideTheSamplesWithTheTimeRestoredGoesUnnoticedByDesign() throws IOException {
        // Documents the limit of sampling: three 64 KiB windows, not the whole file.
        LocalFile local = LocalFile.inspect(file);

        rewriteByteKeepingTheTime(MIB / 4);

        assertThat(local.unchanged()).isTrue();
    }

    @Test
    void truncatingIsNoticed() throws IOException {
        LocalFile local = LocalFile.inspect(file);

        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(MIB - 1);
        }

        assertThat(local.looksUnchanged()).isFalse();
        assertThat(local.unchanged()).isFalse();
    }

    @Test
    void deletingIsNoticed() throws IOException {
        LocalFile local = LocalFile.inspect(file);

        Files.delete(file);

        assertThat(local.looksUnchanged()).isFalse();
        assertThat(local.unchanged()).isFalse();
    }

    @Test
    void replacingWithADifferentFileOfTheSameSizeAndTimeIsNoticed() throws IOException {
        LocalFile local = LocalFile.inspect(file);
        FileTime time = Files.getLastModifiedTime(file);
        byte[] other = new byte[MIB];
        new Random(8).nextBytes(other);

        Files.write(file, other);
        Files.setLastModifiedTime(file, time);

        assertThat(local.looksUnchanged()).isTrue();
        assertThat(local.unchanged()).isFalse();
    }

    @Test
    void looksUnchangedCatchesAChangedModificationTime() throws IOException {
        LocalFile local = LocalFile.inspect(file);

        Files.setLastModifiedTime(file, FileTime.fromMillis(local.modifiedMillis() + 2_000));

        assertThat(local.looksUnchanged()).isFalse();
        assertThat(local.unchanged()).isFalse();
    }

    @Test
    void looksUnchangedCatchesAChangedSizeEvenWithTheTimeRestored() throws IOException {
        LocalFile local = LocalFile.inspect(file);
        FileTime time = Files.getLastModifiedTime(file);

        Files.write(file, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
        Files.setLastModifiedTime(file, time);

        assertThat(local.looksUnchanged()).isFalse();
    }

    @Test
    void aSmallFileIsFingerprintedWholly() throws IOException {
        Path small = Files.write(temp.resolve("small.txt"), "hello, world".getBytes());
        LocalFile local = LocalFile.inspect(small);
        FileTime time = Files.getLastModifiedTime(small);

        Files.write(small, "hello, World".getBytes());
        Files.setLastModifiedTime(small, time);

        assertThat(local.looksUnchanged()).isTrue();
        assertThat(local.unchanged()).isFalse();
    }

    @Test
    void anEmptyFileIsUnchangedWhileItStaysEmpty() throws IOException {
        Path empty = Files.write(temp.resolve("empty"), new byte[0]);
        LocalFile local = LocalFile.inspect(empty);

        assertThat(local.unchanged()).isTrue();

        Files.write(empty, new byte[] {0});
        Files.setLastModifiedTime(empty, FileTime.fromMillis(local.modifiedMillis()));
        assertThat(local.unchanged()).isFalse();
    }
}
