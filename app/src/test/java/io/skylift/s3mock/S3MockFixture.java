package io.skylift.s3mock;

import io.skylift.engine.EngineSettings;
import io.skylift.engine.TransferEngine;
import io.skylift.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * S3Mock in a child process, the sandbox's real handler and local API over it, and an engine signed
 * in as the sandbox's photographer: what {@code EngineFixture} is for S3Proxy.
 */
final class S3MockFixture implements AutoCloseable {

    final S3MockServer s3;
    final Sandbox sandbox;
    final TransferEngine engine;
    private final long partSize;

    private S3MockFixture(S3MockServer s3, Sandbox sandbox, long partSize, Path journal) {
        this.s3 = s3;
        this.sandbox = sandbox;
        this.partSize = partSize;
        this.engine = engine(journal);
    }

    static S3MockFixture start(Path dir, long partSize) throws IOException {
        S3MockServer s3 = S3MockServer.start(dir);
        try {
            Sandbox sandbox = Sandbox.start(new Sandbox.Settings(0, Optional.of(dir.resolve("sandbox")), Duration.ofSeconds(300))
                    .withStorage(s3.storage()));
            return new S3MockFixture(s3, sandbox, partSize, dir.resolve("journal"));
        } catch (IOException | RuntimeException e) {
            s3.close();
            throw e;
        }
    }

    /** Another engine on the same sandbox, with a journal of its own (a restart, when given the same journal). */
    TransferEngine engine(Path journal) {
        String token = sandbox.info().photographerToken();
        return TransferEngine.start(EngineSettings.of(sandbox.info().api(), () -> token, journal)
                .withConcurrency(4).withPartSize(partSize).withIoTimeout(Duration.ofSeconds(20)));
    }

    @Override
    public void close() {
        try {
            engine.close();
            sandbox.close();
        } finally {
            s3.close();
        }
    }
}
