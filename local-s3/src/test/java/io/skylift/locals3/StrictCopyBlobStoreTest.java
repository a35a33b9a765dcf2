package io.skylift.locals3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResult;
import software.amazon.awssdk.services.s3.model.CopyPartResult;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Server-side copies (CopyObject, UploadPartCopy) answer in the sandbox as on S3, with its stores in place. */
class StrictCopyBlobStoreTest {

    @RegisterExtension
    static final LocalS3UnderTest local = new LocalS3UnderTest();

    static final int PART = 5 * 1024 * 1024;

    static String crc32c(byte[] data) {
        var crc = new CRC32C();
        crc.update(data);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    static byte[] bytes(int size, int seed) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i * 31 + seed);
        }
        return data;
    }

    /** Stored as Skylift's uploads are: with their CRC32C given. */
    static String putWithChecksum(String key, byte[] data) {
        return local.s3().putObject(b -> b.bucket(local.bucket()).key(key).checksumCRC32C(crc32c(data)), RequestBody.fromBytes(data)).eTag();
    }

    static String putPlain(String key, byte[] data) {
        return local.s3().putObject(b -> b.bucket(local.bucket()).key(key), RequestBody.fromBytes(data)).eTag();
    }

    static byte[] get(String key) {
        return local.s3().getObjectAsBytes(b -> b.bucket(local.bucket()).key(key)).asByteArray();
    }

    static String storedCrc32c(String key) {
        return local.s3().headObject(b -> b.bucket(local.bucket()).key(key).checksumMode(ChecksumMode.ENABLED)).checksumCRC32C();
    }

    static CopyObjectResult copyWithCrc32c(String from, String to, String sourceEtag) {
        return local.s3().copyObject(b -> b.sourceBucket(local.bucket()).sourceKey(from).destinationBucket(local.bucket()).destinationKey(to)
                .copySourceIfMatch(sourceEtag).checksumAlgorithm(ChecksumAlgorithm.CRC32_C)).copyObjectResult();
    }

    static S3Exception refusal(Runnable call) {
        S3Exception refused = catchThrowableOfType(S3Exception.class, call::run);
        assertThat(refused).as("refused with an S3 error").isNotNull();
        return refused;
    }

    @Test
    void aCopyOfTheSourcesETagAnswersTheCopysCrc32cAndKeepsTheBytes() {
        byte[] data = bytes(1000, 1);
        String etag = putWithChecksum("copy/source.jpg", data);

        CopyObjectResult copied = copyWithCrc32c("copy/source.jpg", "copy/target.jpg", etag);

        assertThat(copied.eTag()).isEqualTo(etag);
        assertThat(copied.checksumCRC32C()).isEqualTo(crc32c(data));
        assertThat(copied.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        assertThat(get("copy/target.jpg")).isEqualTo(data);
        assertThat(storedCrc32c("copy/target.jpg")).isEqualTo(crc32c(data));
    }

    @Test
    void aCopyAskedForCrc32cOfASourceStoredWithoutOneComputesItAsS3Does() {
        byte[] data = bytes(70_000, 2);
        String etag = putPlain("copy/unsummed.jpg", data);

        CopyObjectResult copied = copyWithCrc32c("copy/unsummed.jpg", "copy/summed.jpg", etag);

        assertThat(copied.checksumCRC32C()).isEqualTo(crc32c(data));
        assertThat(storedCrc32c("copy/summed.jpg")).isEqualTo(crc32c(data));
        assertThat(get("copy/summed.jpg")).isEqualTo(data);
    }

    @Test
    void aCopyReplacingTheMetadataKeepsTheChecksum() {
        byte[] data = bytes(500, 3);
        putWithChecksum("copy/retyped.bin", data);

        CopyObjectResult copied = local.s3().copyObject(b -> b.sourceBucket(local.bucket()).sourceKey("copy/retyped.bin")
                .destinationBucket(local.bucket()).destinationKey("copy/retyped.jpg").metadataDirective(MetadataDirective.REPLACE)
                .contentType("image/jpeg")).copyObjectResult();

        assertThat(copied.checksumCRC32C()).isEqualTo(crc32c(data));
        assertThat(local.s3().headObject(b -> b.bucket(local.bucket()).key("copy/retyped.jpg")).contentType()).isEqualTo("image/jpeg");
    }

    @Test
    void aCopyWithIfNoneMatchStarNeverOverwritesAnExistingObject() {
        putWithChecksum("copy/from.jpg", bytes(100, 4));
        byte[] there = bytes(100, 5);
        putWithChecksum("copy/taken.jpg", there);

        S3Exception refused = refusal(() -> local.s3().copyObject(b -> b.sourceBucket(local.bucket()).sourceKey("copy/from.jpg")
                .destinationBucket(local.bucket()).destinationKey("copy/taken.jpg").ifNoneMatch("*")));
        local.s3().copyObject(b -> b.sourceBucket(local.bucket()).sourceKey("copy/from.jpg")
                .destinationBucket(local.bucket()).destinationKey("copy/free.jpg").ifNoneMatch("*"));

        assertThat(refused.statusCode()).isEqualTo(412);
        assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("PreconditionFailed");
        assertThat(get("copy/taken.jpg")).isEqualTo(there);
        assertThat(get("copy/free.jpg")).isEqualTo(bytes(100, 4));
    }

    @Test
    void aCopyOfASourceChangedSinceItsETagWasReadIsRefusedAndCopiesNothing() {
        String before = putWithChecksum("copy/changing.jpg", bytes(100, 6));
        putWithChecksum("copy/changing.jpg", bytes(100, 7));

        S3Exception refused = refusal(() -> copyWithCrc32c("copy/changing.jpg", "copy/stale.jpg", before));

        assertThat(refused.statusCode()).isEqualTo(412);
        assertThat(local.s3().listObjectsV2(b -> b.bucket(local.bucket()).prefix("copy/stale")).contents()).isEmpty();
    }

    @Test
    void partsCopiedByRangeWithTheSourcesETagAssembleTheSourceExactly() {
        byte[] data = bytes(PART + 1234, 8);
        String etag = putWithChecksum("parts/source.bin", data);
        String uploadId = local.s3().createMultipartUpload(b -> b.bucket(local.bucket()).key("parts/target.bin")).uploadId();

        List<CompletedPart> parts = List.of(
                copyPart("parts/source.bin", "parts/target.bin", uploadId, 1, "bytes=0-" + (PART - 1), etag),
                copyPart("parts/source.bin", "parts/target.bin", uploadId, 2, "bytes=" + PART + "-" + (data.length - 1), etag));
        local.s3().completeMultipartUpload(b -> b.bucket(local.bucket()).key("parts/target.bin").uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));

        assertThat(Arrays.equals(get("parts/target.bin"), data)).as("the same bytes").isTrue();
        assertThat(refusal(() -> local.s3().listParts(b -> b.bucket(local.bucket()).key("parts/target.bin").uploadId(uploadId)))
                .awsErrorDetails().errorCode()).as("the completed upload is gone").isEqualTo("NoSuchUpload");
    }

    @Test
    void partsCopiedIntoAnUploadCreatedWithCrc32cAnswerTheirChecksumsWhichTheCompleteStoresAsS3Does() {
        byte[] data = bytes(PART + 77, 11);
        String etag = putWithChecksum("parts/summed-source.bin", data);
        String uploadId = local.s3().createMultipartUpload(b -> b.bucket(local.bucket()).key("parts/summed.bin")
                .checksumAlgorithm(ChecksumAlgorithm.CRC32_C)).uploadId();
        String[] ranges = {"bytes=0-" + (PART - 1), "bytes=" + PART + "-" + (data.length - 1)};
        byte[][] pieces = {Arrays.copyOfRange(data, 0, PART), Arrays.copyOfRange(data, PART, data.length)};

        List<CompletedPart> parts = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int number = i + 1;
            String range = ranges[i];
            var copied = local.s3().uploadPartCopy(b -> b.sourceBucket(local.bucket()).sourceKey("parts/summed-source.bin")
                    .destinationBucket(local.bucket()).destinationKey("parts/summed.bin").uploadId(uploadId).partNumber(number)
                    .copySourceRange(range).copySourceIfMatch(etag)).copyPartResult();
            assertThat(copied.checksumCRC32C()).as("part " + number).isEqualTo(crc32c(pieces[i]));
            parts.add(CompletedPart.builder().partNumber(number).eTag(copied.eTag()).checksumCRC32C(copied.checksumCRC32C()).build());
        }
        var completed = local.s3().completeMultipartUpload(b -> b.bucket(local.bucket()).key("parts/summed.bin").uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));

        assertThat(completed.checksumType()).isEqualTo(ChecksumType.COMPOSITE);
        assertThat(completed.checksumCRC32C()).endsWith("-2");
        assertThat(storedCrc32c("parts/summed.bin")).isEqualTo(completed.checksumCRC32C());
        assertThat(get("parts/summed.bin")).isEqualTo(data);
    }

    static String createFullObjectCrc32c(String key) {
        return local.s3().createMultipartUpload(b -> b.bucket(local.bucket()).key(key)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32_C).checksumType(ChecksumType.FULL_OBJECT)).uploadId();
    }

    static CopyPartResult copyPartOf(String from, String to, String uploadId, int number, long first, long last) {
        return local.s3().uploadPartCopy(b -> b.sourceBucket(local.bucket()).sourceKey(from).destinationBucket(local.bucket())
                .destinationKey(to).uploadId(uploadId).partNumber(number).copySourceRange("bytes=" + first + "-" + last)).copyPartResult();
    }

    static ListPartsResponse listParts(String key, String uploadId) {
        return local.s3().listParts(b -> b.bucket(local.bucket()).key(key).uploadId(uploadId));
    }

    /** Stores {@code data} as {@code folder/source.bin} and copies its first PART bytes as part 1 of a FULL_OBJECT CRC32C upload. */
    static String copyUploadWithFirstPart(String folder, byte[] data) {
        putWithChecksum(folder + "/source.bin", data);
        String uploadId = createFullObjectCrc32c(folder + "/target.bin");
        copyPartOf(folder + "/source.bin", folder + "/target.bin", uploadId, 1, 0, PART - 1);
        return uploadId;
    }

    @Test
    void aPartListingOfACrc32cUploadNamesEachPartsCrc32cCopiedOrSentAndAPartSentAgainWithItsNewOne() {
        byte[] data = bytes(2 * PART + 77, 12);
        String uploadId = copyUploadWithFirstPart("listed", data);
        byte[] second = Arrays.copyOfRange(data, PART, 2 * PART);
        local.s3().uploadPart(b -> b.bucket(local.bucket()).key("listed/target.bin").uploadId(uploadId).partNumber(2)
                .checksumCRC32C(crc32c(second)), RequestBody.fromBytes(second));
        copyPartOf("listed/source.bin", "listed/target.bin", uploadId, 3, 2 * PART, data.length - 1);

        ListPartsResponse listed = listParts("listed/target.bin", uploadId);
        copyPartOf("listed/source.bin", "listed/target.bin", uploadId, 1, 2 * PART, data.length - 1);
        ListPartsResponse relisted = listParts("listed/target.bin", uploadId);

        assertThat(listed.checksumAlgorithm()).isEqualTo(ChecksumAlgorithm.CRC32_C);
        assertThat(listed.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        assertThat(listed.parts()).extracting(Part::partNumber, Part::checksumCRC32C).containsExactly(
                tuple(1, crc32c(Arrays.copyOfRange(data, 0, PART))),
                tuple(2, crc32c(second)),
                tuple(3, crc32c(Arrays.copyOfRange(data, 2 * PART, data.length))));
        assertThat(relisted.parts().getFirst().checksumCRC32C()).as("part 1 copied again, from another range")
                .isEqualTo(crc32c(Arrays.copyOfRange(data, 2 * PART, data.length)));
    }

    // A copy too large for one call: each call copies some parts, and the last completes with the parts
    // copied before as the listing names them and its own as their copies answered.
    @Test
    void aCopyPartByPartCompletedFromItsListingAsAFullObjectCrc32cIsStoredWithTheSourcesCrc32c() {
        byte[] data = bytes(PART + 4321, 13);
        String uploadId = copyUploadWithFirstPart("calls", data);

        Part earlier = listParts("calls/target.bin", uploadId).parts().getFirst();
        CopyPartResult last = copyPartOf("calls/source.bin", "calls/target.bin", uploadId, 2, PART, data.length - 1);
        List<CompletedPart> parts = List.of(
                CompletedPart.builder().partNumber(1).eTag(earlier.eTag()).checksumCRC32C(earlier.checksumCRC32C()).build(),
                CompletedPart.builder().partNumber(2).eTag(last.eTag()).checksumCRC32C(last.checksumCRC32C()).build());
        var completed = local.s3().completeMultipartUpload(b -> b.bucket(local.bucket()).key("calls/target.bin").uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)).checksumType(ChecksumType.FULL_OBJECT).checksumCRC32C(crc32c(data)).ifNoneMatch("*"));

        assertThat(completed.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        assertThat(completed.checksumCRC32C()).isEqualTo(crc32c(data));
        assertThat(storedCrc32c("calls/target.bin")).isEqualTo(crc32c(data));
        assertThat(get("calls/target.bin")).isEqualTo(data);
    }

    @Test
    void aCompleteFromTheListingWhoseWholeObjectCrc32cIsNotThePartsIsRefusedWithBadDigestAndStoresNothing() {
        byte[] data = bytes(PART + 10, 14);
        String uploadId = copyUploadWithFirstPart("digest", data);
        copyPartOf("digest/source.bin", "digest/target.bin", uploadId, 2, PART, data.length - 1);
        List<CompletedPart> parts = listParts("digest/target.bin", uploadId).parts().stream()
                .map(p -> CompletedPart.builder().partNumber(p.partNumber()).eTag(p.eTag()).checksumCRC32C(p.checksumCRC32C()).build())
                .toList();

        S3Exception refused = refusal(() -> local.s3().completeMultipartUpload(b -> b.bucket(local.bucket()).key("digest/target.bin")
                .uploadId(uploadId).multipartUpload(m -> m.parts(parts)).checksumType(ChecksumType.FULL_OBJECT)
                .checksumCRC32C(crc32c(bytes(10, 15)))));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("BadDigest");
        assertThat(local.s3().listObjectsV2(b -> b.bucket(local.bucket()).prefix("digest/target")).contents()).isEmpty();
    }

    @Test
    void aPartCopyOfAChangedSourceOrIntoAnAbortedUploadIsRefused() {
        String before = putWithChecksum("parts/changing.bin", bytes(1000, 9));
        putWithChecksum("parts/changing.bin", bytes(1000, 10));
        String open = local.s3().createMultipartUpload(b -> b.bucket(local.bucket()).key("parts/open.bin")).uploadId();
        String aborted = local.s3().createMultipartUpload(b -> b.bucket(local.bucket()).key("parts/aborted.bin")).uploadId();
        local.s3().abortMultipartUpload(b -> b.bucket(local.bucket()).key("parts/aborted.bin").uploadId(aborted));

        S3Exception changed = refusal(() -> copyPart("parts/changing.bin", "parts/open.bin", open, 1, "bytes=0-99", before));
        S3Exception gone = refusal(() -> copyPart("parts/changing.bin", "parts/aborted.bin", aborted, 1, "bytes=0-99", null));

        assertThat(changed.statusCode()).isEqualTo(412);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.awsErrorDetails().errorCode()).isEqualTo("NoSuchUpload");
    }

    static CompletedPart copyPart(String from, String to, String uploadId, int number, String range, String sourceEtag) {
        String etag = local.s3().uploadPartCopy(b -> b.sourceBucket(local.bucket()).sourceKey(from).destinationBucket(local.bucket())
                .destinationKey(to).uploadId(uploadId).partNumber(number).copySourceRange(range).copySourceIfMatch(sourceEtag))
                .copyPartResult().eTag();
        return CompletedPart.builder().partNumber(number).eTag(etag).build();
    }
}
