package io.skylift.engine;

import io.skylift.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** An engine signed in as the sandbox's photographer, against a sandbox of its own. */
final class EngineFixture implements AutoCloseable {

    final Sandbox sandbox;
    final TransferEngine engine;
    final Path journal;

    private EngineFixture(Sandbox sandbox, TransferEngine engine, Path journal) {
        this.sandbox = sandbox;
        this.engine = engine;
        this.journal = journal;
    }

    static EngineFixture start(Path dir, long partSize) throws IOException {
        Sandbox sandbox = Sandbox.start(new Sandbox.Settings(0, Optional.of(dir.resolve("sandbox")), Duration.ofSeconds(300)));
        return new EngineFixture(sandbox, engine(sandbox, dir.resolve("journal"), partSize, sandbox.info().photographerToken()),
                dir.resolve("journal"));
    }

    static TransferEngine engine(Sandbox sandbox, Path journal, long partSize, String token) {
        return TransferEngine.start(EngineSettings.of(sandbox.info().api(), () -> token, journal)
                .withConcurrency(4).withPartSize(partSize).withIoTimeout(Duration.ofSeconds(20)));
    }

    @Override
    public void close() {
        engine.close();
        sandbox.close();
    }
}
