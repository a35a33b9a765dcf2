package io.skylift.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** A file of seeded random bytes, so a test's data is the same on every run and compresses not at all. */
public final class RandomFile {

    private RandomFile() {}

    public static Path write(Path dir, String name, long size, long seed) throws IOException {
        byte[] data = new byte[Math.toIntExact(size)];
        new Random(seed).nextBytes(data);
        return Files.write(dir.resolve(name), data);
    }
}
