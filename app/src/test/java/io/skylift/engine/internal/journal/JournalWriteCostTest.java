package io.skylift.engine.internal.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the journal costs the disk over a long upload: each finished part a few bytes, not a rewrite. */
class JournalWriteCostTest {

    static final Path IO = Path.of("/proc/self/io");

    @TempDir
    Path temp;

    @Test
    void tenThousandFinishedPartsCostTheJournalLessThanAMegabyteOfWrites() throws IOException {
        assumeTrue(Files.isReadable(IO), "counts this process's writes through /proc (Linux)");
        Journal journal = new Journal(temp);
        JournalEntry.Upload planned = JournalTest.upload("long", JournalTest.CREATED).withSentParts(Map.of());
        journal.save(planned);

        long before = bytesWritten();
        for (int part = 1; part <= 10_000; part++) {
            journal.recordPart("long", part, "yZRlqg==");
        }
        long written = bytesWritten() - before;

        assertThat(written).as("bytes written for 10,000 parts").isLessThan(1_000_000);
        assertThat(Files.size(temp.resolve("long.json")) + Files.size(temp.resolve("long.parts"))).isLessThan(1_000_000);
        assertThat(((JournalEntry.Upload) new Journal(temp).load("long").orElseThrow()).sentParts()).hasSize(10_000);
    }

    // Bytes this process handed to write() so far: every journal write goes through it.
    private static long bytesWritten() throws IOException {
        for (String line : Files.readAllLines(IO)) {
            if (line.startsWith("wchar:")) {
                return Long.parseLong(line.substring("wchar:".length()).strip());
            }
        }
        throw new IllegalStateException("no wchar in " + IO);
    }
}
