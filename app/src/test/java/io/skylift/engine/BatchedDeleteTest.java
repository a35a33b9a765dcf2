package io.skylift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.sandbox.Sandbox;
import io.skylift.testing.FaultProxy;
import io.skylift.testing.SandboxBucket;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** A folder of more than a thousand files is deleted with one call per thousand, not one per file. */
class BatchedDeleteTest {

    static final Predicate<FaultProxy.RequestHead> BATCH_DELETE = h -> h.method().equals("POST") && h.path().equals("/v1/batch/deletions");
    static final Predicate<FaultProxy.RequestHead> SINGLE_DELETE = h -> h.method().equals("DELETE") && h.path().equals("/v1/files");

    @TempDir
    Path dir;

    @Test
    void aThousandAndOneFilesGoInTwoCalls() throws IOException {
        try (ProxiedSandbox proxied = ProxiedSandbox.start(dir, Duration.ofSeconds(300));
             var bucket = SandboxBucket.client(proxied.sandbox)) {
            IntStream.range(0, 1_001).parallel().forEach(i -> bucket.putObject(b -> b.bucket(Sandbox.BUCKET)
                    .key("u/sandbox-photographer/big/d" + i % 7 + "/f-" + i), RequestBody.fromString("f" + i)));
            TransferEngine engine = proxied.engine(dir.resolve("journal"), 4, 0, Duration.ofSeconds(20));

            Deletion done = engine.files().delete(List.of("u/sandbox-photographer/big/"));

            assertThat(done.files()).isEqualTo(1_001);
            assertThat(done.failed()).isEmpty();
            assertThat(proxied.api.requestsSeen(BATCH_DELETE)).as("batch calls").isEqualTo(2);
            assertThat(proxied.api.requestsSeen(SINGLE_DELETE)).isZero();
            assertThat(bucket.listObjectsV2(b -> b.bucket(Sandbox.BUCKET).prefix("u/sandbox-photographer/big/")).keyCount()).isZero();
        }
    }
}
