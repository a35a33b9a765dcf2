package io.skylift.share;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.engine.EngineSettings;
import io.skylift.engine.Share;
import io.skylift.engine.TransferEngine;
import io.skylift.engine.TransferResult;
import io.skylift.engine.TransferState;
import io.skylift.sandbox.Sandbox;
import io.skylift.sandbox.SandboxIdentity;
import io.skylift.testing.SandboxBucket;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A sandbox of its own with the photographer signed in to an engine: files go up through the engine,
 * as a person's would, and are shared through it; {@link #bucket} sees what S3 really holds.
 */
final class ShareFixture implements AutoCloseable {

    static final String HOME = "u/" + SandboxIdentity.PHOTOGRAPHER.claims().get("sub") + "/";

    final Sandbox sandbox;
    final TransferEngine engine;
    final S3Client bucket;

    private ShareFixture(Sandbox sandbox, TransferEngine engine, S3Client bucket) {
        this.sandbox = sandbox;
        this.engine = engine;
        this.bucket = bucket;
    }

    static ShareFixture start(Path dir) throws IOException {
        Sandbox sandbox = Sandbox.start(new Sandbox.Settings(0, Optional.of(dir.resolve("sandbox")), Duration.ofSeconds(300)));
        String token = sandbox.info().photographerToken();
        TransferEngine engine = TransferEngine.start(EngineSettings.of(sandbox.info().api(), () -> token, dir.resolve("journal"))
                .withConcurrency(4).withPartSize(5L << 20).withIoTimeout(Duration.ofSeconds(20)));
        return new ShareFixture(sandbox, engine, SandboxBucket.client(sandbox));
    }

    /** Uploads {@code file} into the photographer's {@code folder} and answers its key. */
    String upload(Path file, String folder) {
        TransferResult result = engine.upload(file, folder).getFirst().stopped().join();
        assertThat(result.state()).as(result.reason()).isEqualTo(TransferState.DONE);
        return result.key();
    }

    Share share(String keyOrFolder, Duration expiresIn) {
        return engine.shares().create(keyOrFolder, expiresIn);
    }

    /** The SHA-256 of the bytes, in hex: compared instead of the bytes, so a failure prints 64 characters. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    @Override
    public void close() {
        bucket.close();
        engine.close();
        sandbox.close();
    }
}
