package io.skylift.locals3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** An armed fault makes the server answer as S3 does in that situation, and only while it is armed. */
class FaultsTest {

    @RegisterExtension
    static final LocalS3UnderTest local = new LocalS3UnderTest();

    @AfterEach
    void disarm() {
        local.faults().clear();
    }

    void put(String key) {
        local.s3().putObject(b -> b.bucket(local.bucket()).key(key), RequestBody.fromBytes(new byte[] {1, 2, 3}));
    }

    int headStatus(String key) {
        try {
            local.s3().headObject(b -> b.bucket(local.bucket()).key(key));
            return 200;
        } catch (S3Exception e) {
            return e.statusCode();
        }
    }

    boolean exists(String key) {
        return headStatus(key) == 200;
    }

    /** Starts an upload of one small part and returns what completing it needs. */
    String[] uploadOnePart(String key) {
        String uploadId = local.s3().createMultipartUpload(b -> b.bucket(local.bucket()).key(key)).uploadId();
        String etag = local.s3().uploadPart(b -> b.bucket(local.bucket()).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(new byte[] {4, 5, 6})).eTag();
        return new String[] {uploadId, etag};
    }

    S3Exception complete(String key, String[] upload) {
        return catchThrowableOfType(S3Exception.class, () -> local.s3().completeMultipartUpload(b -> b.bucket(local.bucket()).key(key)
                .uploadId(upload[0]).multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(upload[1]).build()))));
    }

    @Test
    void aMissingKeyIsForbiddenRatherThanNotFoundOnlyWhileArmedAndAnExistingKeyStillAnswers() {
        put("there.bin");
        assertThat(headStatus("absent.bin")).isEqualTo(404);

        local.faults().forbidMissingKeys();

        assertThat(headStatus("absent.bin")).isEqualTo(403);
        S3Exception get = catchThrowableOfType(S3Exception.class, () -> local.s3().getObjectAsBytes(b -> b.bucket(local.bucket()).key("absent.bin")));
        assertThat(get.statusCode()).isEqualTo(403);
        assertThat(get.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        assertThat(headStatus("there.bin")).isEqualTo(200);
        local.faults().clear();
        assertThat(headStatus("absent.bin")).isEqualTo(404);
    }

    @Test
    void readsUnderADeniedPrefixAreForbiddenEvenForKeysThatExist() {
        put("denied/there.bin");
        put("allowed/there.bin");

        local.faults().denyReadsUnder("denied/");

        assertThat(headStatus("denied/there.bin")).isEqualTo(403);
        assertThat(headStatus("allowed/there.bin")).isEqualTo(200);
    }

    @Test
    void aCompleteArmedWithAConflictAnswers409AndCompletesNothingAndTheNextOneIsServed() {
        String[] upload = uploadOnePart("raced.bin");
        local.faults().conflictOnNextComplete("raced.bin");

        S3Exception refused = complete("raced.bin", upload);

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("ConditionalRequestConflict");
        assertThat(exists("raced.bin")).isFalse();
        assertThat(complete("raced.bin", upload)).as("disarmed once taken").isNull();
        assertThat(exists("raced.bin")).isTrue();
    }

    @Test
    void aCompleteArmedToConflictAfterCompletingStoresTheObjectAndStillAnswers409() {
        String[] upload = uploadOnePart("won.bin");
        local.faults().conflictAfterNextComplete("won.bin");

        S3Exception refused = complete("won.bin", upload);

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("ConditionalRequestConflict");
        assertThat(exists("won.bin")).isTrue();
    }

    @Test
    void anUploadArmedToStayListedAfterCompletingListsNoPartsOnceStoredAndAnUnarmedOneIsGone() {
        String[] upload = uploadOnePart("finishing.bin");
        local.faults().listedOpenAfterNextComplete("finishing.bin");

        assertThat(complete("finishing.bin", upload)).isNull();

        assertThat(exists("finishing.bin")).isTrue();
        var parts = local.s3().listParts(b -> b.bucket(local.bucket()).key("finishing.bin").uploadId(upload[0]));
        assertThat(parts.parts()).as("the parts went into the object").isEmpty();

        String[] unarmed = uploadOnePart("finished.bin");
        assertThat(complete("finished.bin", unarmed)).isNull();
        S3Exception gone = catchThrowableOfType(S3Exception.class,
                () -> local.s3().listParts(b -> b.bucket(local.bucket()).key("finished.bin").uploadId(unarmed[0])));
        assertThat(gone.awsErrorDetails().errorCode()).isEqualTo("NoSuchUpload");
    }
}
