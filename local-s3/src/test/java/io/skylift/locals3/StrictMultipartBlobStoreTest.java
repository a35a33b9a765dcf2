package io.skylift.locals3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Multipart uploads fail on the local server where and as they fail on S3, so the sandbox hides no client bug. */
class StrictMultipartBlobStoreTest {

    @RegisterExtension
    static final LocalS3UnderTest local = new LocalS3UnderTest();

    String create(String key) {
        return local.s3().createMultipartUpload(b -> b.bucket(local.bucket()).key(key)).uploadId();
    }

    CompletedPart send(String key, String uploadId, int partNumber, byte[] data) {
        String etag = local.s3().uploadPart(b -> b.bucket(local.bucket()).key(key).uploadId(uploadId).partNumber(partNumber),
                RequestBody.fromBytes(data)).eTag();
        return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
    }

    void complete(String key, String uploadId, List<CompletedPart> parts) {
        local.s3().completeMultipartUpload(b -> b.bucket(local.bucket()).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
    }

    void abort(String key, String uploadId) {
        local.s3().abortMultipartUpload(b -> b.bucket(local.bucket()).key(key).uploadId(uploadId));
    }

    static void assertRefusedAsNoSuchUpload(ThrowingCallable call) {
        S3Exception refused = catchThrowableOfType(S3Exception.class, call);
        assertThat(refused).as("an S3 error").isNotNull();
        assertThat(refused.statusCode()).isEqualTo(404);
        assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("NoSuchUpload");
    }

    @Test
    void aPartSentAfterTheUploadWasAbortedIsRefusedWithNoSuchUpload() {
        String key = "aborted-part.bin";
        String uploadId = create(key);
        abort(key, uploadId);

        assertRefusedAsNoSuchUpload(() -> send(key, uploadId, 1, new byte[10]));
    }

    @Test
    void listingThePartsOfAnAbortedUploadIsRefusedWithNoSuchUpload() {
        String key = "aborted-list.bin";
        String uploadId = create(key);
        send(key, uploadId, 1, new byte[10]);
        abort(key, uploadId);

        assertRefusedAsNoSuchUpload(() -> local.s3().listParts(b -> b.bucket(local.bucket()).key(key).uploadId(uploadId)));
    }

    // S3Proxy refuses this one by itself; the sandbox depends on it all the same.
    @Test
    void completingAnAbortedUploadIsRefusedWithNoSuchUploadAndNoObjectAppears() {
        String key = "aborted-complete.bin";
        String uploadId = create(key);
        CompletedPart only = send(key, uploadId, 1, new byte[10]);
        abort(key, uploadId);

        assertRefusedAsNoSuchUpload(() -> complete(key, uploadId, List.of(only)));
        assertThat(local.s3().listObjectsV2(b -> b.bucket(local.bucket()).prefix(key)).contents()).isEmpty();
    }

    @Test
    void aCompleteListingItsPartsOutOfOrderIsRefusedWithInvalidPartOrderAndInOrderItSucceeds() {
        String key = "out-of-order.bin";
        String uploadId = create(key);
        CompletedPart first = send(key, uploadId, 1, new byte[5 * 1024 * 1024]);
        CompletedPart second = send(key, uploadId, 2, new byte[10]);

        S3Exception refused = catchThrowableOfType(S3Exception.class, () -> complete(key, uploadId, List.of(second, first)));

        assertThat(refused).as("an S3 error").isNotNull();
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("InvalidPartOrder");
        assertThat(local.s3().listObjectsV2(b -> b.bucket(local.bucket()).prefix(key)).contents()).isEmpty();
        complete(key, uploadId, List.of(first, second));
        assertThat(local.s3().headObject(b -> b.bucket(local.bucket()).key(key)).contentLength()).isEqualTo(5 * 1024 * 1024 + 10);
    }
}
