package io.skylift.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

/**
 * A folder of more than a thousand files is deleted with one call per thousand, not one per file, and
 * one outside the caller's own folder costs no call at all.
 */
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

    @Test
    void aFolderOutsideOnesOwnIsRefusedInTheServicesWordsWithoutListingItOrSpendingACallOnIt() throws IOException {
        Predicate<FaultProxy.RequestHead> listing = h -> h.method().equals("GET") && h.path().equals("/v1/files");
        Predicate<FaultProxy.RequestHead> moving = h -> h.method().equals("POST") && h.path().startsWith("/v1/moves");
        try (ProxiedSandbox proxied = ProxiedSandbox.start(dir, Duration.ofSeconds(300));
             var bucket = SandboxBucket.client(proxied.sandbox)) {
            IntStream.range(0, 30).forEach(i -> bucket.putObject(b -> b.bucket(Sandbox.BUCKET).key("archives/case-1/f-" + i),
                    RequestBody.fromString("f" + i)));
            RemoteFiles files = proxied.engine(dir.resolve("journal"), 4, 0, Duration.ofSeconds(20)).files();

            Deletion asked = files.previewDelete(List.of("archives/case-1/"));
            Deletion done = files.delete(List.of("archives/case-1/", "u/someone-else/"));

            assertThat(asked.files()).isZero();
            assertThat(asked.failed()).singleElement().satisfies(f -> assertThat(f.code()).isEqualTo("KEY_FORBIDDEN"));
            assertThat(done.files()).isZero();
            assertThat(done.failed()).extracting(FileFailure::key).containsExactly("archives/case-1/", "u/someone-else/");
            assertThat(done.failed()).allSatisfy(f -> assertThat(f.message()).isEqualTo(f.key() + ": You may delete only files in your own folder."));
            assertThatThrownBy(() -> files.move("archives/case-1/", "u/sandbox-photographer/case-1/"))
                    .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.reason()).isEqualTo(TransferException.Reason.FORBIDDEN))
                    .hasMessageContaining("own folder");
            assertThatThrownBy(() -> files.move("u/sandbox-photographer/", "u/someone-else/mine/"))
                    .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.reason()).isEqualTo(TransferException.Reason.FORBIDDEN));
            assertThat(proxied.api.requestsSeen(listing)).as("listings").isZero();
            assertThat(proxied.api.requestsSeen(BATCH_DELETE.or(moving))).as("deletes and moves").isZero();
            assertThat(bucket.listObjectsV2(b -> b.bucket(Sandbox.BUCKET).prefix("archives/case-1/")).keyCount()).isEqualTo(30);
        }
    }
}
