package io.skylift.engine;

import io.skylift.sandbox.Sandbox;
import io.skylift.testing.FaultProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A sandbox whose S3 server and API each sit behind a fault proxy, for what S3Proxy cannot do by
 * itself: resets, stalls, error answers, counted and slowed requests. Engines made here reach both
 * through the proxies and are closed with it.
 */
final class ProxiedSandbox implements AutoCloseable {

    final Sandbox sandbox;
    final FaultProxy s3;
    final FaultProxy api;
    private final List<TransferEngine> engines = new ArrayList<>();

    private ProxiedSandbox(Sandbox sandbox, FaultProxy s3, FaultProxy api) {
        this.sandbox = sandbox;
        this.s3 = s3;
        this.api = api;
    }

    static ProxiedSandbox start(Path dir, Duration urlTtl) throws IOException {
        FaultProxy[] s3 = new FaultProxy[1];
        Sandbox sandbox = Sandbox.start(new Sandbox.Settings(0, Optional.of(dir.resolve("sandbox")), urlTtl).withS3Front(endpoint -> {
            try {
                s3[0] = FaultProxy.start(new InetSocketAddress("127.0.0.1", endpoint.getPort()));
                return s3[0].uri();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
        return new ProxiedSandbox(sandbox, s3[0], FaultProxy.start(new InetSocketAddress("127.0.0.1", sandbox.info().api().getPort())));
    }

    /** An engine signed in as the photographer; {@code partSize} 0 for the server's plan. */
    TransferEngine engine(Path journal, int concurrency, long partSize, Duration ioTimeout) {
        String token = sandbox.info().photographerToken();
        TransferEngine engine = TransferEngine.start(EngineSettings.of(URI.create(api.uri().toString()), () -> token, journal)
                .withConcurrency(concurrency).withPartSize(partSize).withIoTimeout(ioTimeout));
        engines.add(engine);
        return engine;
    }

    /** An engine signed in as the photographer with the default settings but {@code ioTimeout}: as many connections as pay, up to 32. */
    TransferEngine engineWithDefaults(Path journal, Duration ioTimeout) {
        String token = sandbox.info().photographerToken();
        TransferEngine engine = TransferEngine.start(EngineSettings.of(URI.create(api.uri().toString()), () -> token, journal)
                .withIoTimeout(ioTimeout));
        engines.add(engine);
        return engine;
    }

    @Override
    public void close() {
        engines.forEach(TransferEngine::close);
        sandbox.close();
        s3.close();
        api.close();
    }
}
