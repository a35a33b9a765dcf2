package io.skylift.locals3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The local server's HTTP exchange looks like S3's where S3 clients depend on it. */
class S3WireConformanceTest {

    @RegisterExtension
    static final LocalS3UnderTest local = new LocalS3UnderTest();

    static void assertFramedByContentLength(SdkHttpResponse answer) {
        assertThat(answer.firstMatchingHeader("Content-Length")).as("Content-Length").isPresent();
        assertThat(answer.firstMatchingHeader("Transfer-Encoding")).as("Transfer-Encoding").isEmpty();
    }

    @Test
    void anXmlAnswerCarriesItsContentLength() {
        local.s3().createMultipartUpload(b -> b.bucket(local.bucket()).key("framed.bin"));

        assertFramedByContentLength(local.lastAnswer());
    }

    @Test
    void anXmlErrorCarriesItsContentLength() {
        catchThrowableOfType(NoSuchKeyException.class, () -> local.s3().getObject(b -> b.bucket(local.bucket()).key("missing.bin")));

        assertThat(local.lastAnswer().statusCode()).isEqualTo(404);
        assertFramedByContentLength(local.lastAnswer());
    }

    @Test
    void aKeyWhoseDotSegmentsTheFileStoreWouldResolveIsRefusedAndNothingLandsOutsideTheBucket() throws Exception {
        for (String key : java.util.List.of("x/../../escape-probe.txt", "x/./escape-probe.txt", "x//escape-probe.txt", "../escape-probe.txt")) {
            S3Exception refused = catchThrowableOfType(S3Exception.class,
                    () -> local.s3().putObject(b -> b.bucket(local.bucket()).key(key), RequestBody.fromString("out")));

            assertThat(refused).as(key).isNotNull();
            assertThat(refused.statusCode()).as(key).isEqualTo(400);
            assertThat(refused.awsErrorDetails().errorMessage()).as(key).contains("'..'");
        }
        S3Exception copy = catchThrowableOfType(S3Exception.class, () -> local.s3().copyObject(b -> b.sourceBucket(local.bucket())
                .sourceKey("x/../../../etc/hostname").destinationBucket(local.bucket()).destinationKey("copied.txt")));

        assertThat(copy).isNotNull();
        assertThat(copy.statusCode()).isEqualTo(400);
        try (var found = java.nio.file.Files.find(local.dir().getParent(), 3, (path, attributes) -> path.getFileName().toString().equals("escape-probe.txt"))) {
            assertThat(found.toList()).as("files written for those keys").isEmpty();
        }
        assertThat(local.s3().listObjectsV2(b -> b.bucket(local.bucket())).contents()).extracting(o -> o.key()).doesNotContain("copied.txt");
    }

    @Test
    void anObjectIsUnmodifiedSinceTheLastModifiedItReportsButNotSinceASecondBefore() {
        local.s3().putObject(b -> b.bucket(local.bucket()).key("dated.bin"), RequestBody.fromBytes(new byte[] {1, 2, 3}));
        Instant lastModified = local.s3().headObject(b -> b.bucket(local.bucket()).key("dated.bin")).lastModified();

        var unchanged = local.s3().getObjectAsBytes(b -> b.bucket(local.bucket()).key("dated.bin").ifUnmodifiedSince(lastModified));
        S3Exception changed = catchThrowableOfType(S3Exception.class,
                () -> local.s3().getObjectAsBytes(b -> b.bucket(local.bucket()).key("dated.bin").ifUnmodifiedSince(lastModified.minusSeconds(1))));

        assertThat(unchanged.asByteArray()).containsExactly(1, 2, 3);
        assertThat(changed).as("refused").isNotNull();
        assertThat(changed.statusCode()).isEqualTo(412);
    }
}
