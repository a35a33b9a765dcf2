package io.skylift.locals3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.InvalidObjectStateException;
import software.amazon.awssdk.services.s3.model.OptionalObjectAttributes;
import software.amazon.awssdk.services.s3.model.RestoreObjectResponse;
import software.amazon.awssdk.services.s3.model.RestoreStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.Tier;

/** Archived objects behave in the sandbox as on S3: unreadable until restored, restored after a short delay. */
class ArchiveEmulationTest {

    @RegisterExtension
    static final LocalS3UnderTest local = new LocalS3UnderTest();

    private static final Pattern RESTORED = Pattern.compile("ongoing-request=\"false\", expiry-date=\"([^\"]+)\"");
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @BeforeEach
    void quickRestores() {
        local.archive().restoreDelay(Duration.ofSeconds(1));
    }

    @AfterEach
    void usualRestores() {
        local.archive().restoreDelay(Archive.DEFAULT_RESTORE_DELAY);
    }

    static void put(String key, StorageClass storageClass, String text) {
        local.s3().putObject(b -> b.bucket(local.bucket()).key(key).storageClass(storageClass), RequestBody.fromString(text));
    }

    static String get(String key) {
        return local.s3().getObjectAsBytes(b -> b.bucket(local.bucket()).key(key)).asUtf8String();
    }

    static String restoreHeader(String key) {
        return local.s3().headObject(b -> b.bucket(local.bucket()).key(key)).restore();
    }

    static RestoreObjectResponse restore(String key, int days, Tier tier) {
        return local.s3().restoreObject(b -> b.bucket(local.bucket()).key(key)
                .restoreRequest(r -> r.days(days).glacierJobParameters(j -> j.tier(tier))));
    }

    static S3Exception refusal(Runnable call) {
        S3Exception refused = catchThrowableOfType(S3Exception.class, call::run);
        assertThat(refused).as("refused with an S3 error").isNotNull();
        return refused;
    }

    static <T> T awaitValue(Supplier<T> poll, java.util.function.Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        T value = poll.get();
        while (!done.test(value)) {
            assertThat(System.nanoTime()).as("still not done after " + DEADLINE + ": " + value).isLessThan(deadline);
            Thread.sleep(50);
            value = poll.get();
        }
        return value;
    }

    @Test
    void aGlacierObjectIsRefusedAsInvalidObjectStateWhileHeadStillAnswersItsStorageClass() {
        put("cold/refused.bin", StorageClass.GLACIER, "frozen");

        var refused = catchThrowableOfType(InvalidObjectStateException.class, () -> get("cold/refused.bin"));

        assertThat(refused).as("InvalidObjectState").isNotNull();
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.storageClass()).isEqualTo(StorageClass.GLACIER);
        var head = local.s3().headObject(b -> b.bucket(local.bucket()).key("cold/refused.bin"));
        assertThat(head.storageClass()).isEqualTo(StorageClass.GLACIER);
        assertThat(head.restore()).as("no restore asked for").isNull();
        assertThat(refusal(() -> local.s3().getObjectAsBytes(b -> b.bucket(local.bucket()).key("cold/refused.bin").range("bytes=0-1")))
                .awsErrorDetails().errorCode()).as("a ranged GET too").isEqualTo("InvalidObjectState");
    }

    @Test
    void aRestoreIsAcceptedRefusedAsRunningUntilItCompletesAfterTheDelayAndThenTheObjectDownloads() throws InterruptedException {
        put("cold/restored.bin", StorageClass.DEEP_ARCHIVE, "deep bytes");

        RestoreObjectResponse accepted = restore("cold/restored.bin", 2, Tier.BULK);

        assertThat(accepted.sdkHttpResponse().statusCode()).isEqualTo(202);
        assertThat(restoreHeader("cold/restored.bin")).isEqualTo("ongoing-request=\"true\"");
        S3Exception running = refusal(() -> restore("cold/restored.bin", 2, Tier.BULK));
        assertThat(running.statusCode()).isEqualTo(409);
        assertThat(running.awsErrorDetails().errorCode()).isEqualTo("RestoreAlreadyInProgress");
        assertThat(refusal(() -> get("cold/restored.bin")).awsErrorDetails().errorCode()).as("still archived").isEqualTo("InvalidObjectState");

        String done = awaitValue(() -> restoreHeader("cold/restored.bin"), header -> header.startsWith("ongoing-request=\"false\""));

        Matcher expiry = RESTORED.matcher(done);
        assertThat(expiry.matches()).as(done).isTrue();
        Instant expires = ZonedDateTime.parse(expiry.group(1), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertThat(expiry.group(1)).as("an IMF-fixdate, as S3 writes it").matches("\\w{3}, \\d{2} \\w{3} \\d{4} 00:00:00 GMT");
        assertThat(expires).isBetween(Instant.now().plus(Duration.ofDays(2)), Instant.now().plus(Duration.ofDays(3)));
        assertThat(get("cold/restored.bin")).isEqualTo("deep bytes");
        assertThat(local.s3().getObject(b -> b.bucket(local.bucket()).key("cold/restored.bin")).response().restore())
                .as("GET names the restore too").isEqualTo(done);
        assertThat(restore("cold/restored.bin", 5, Tier.STANDARD).sdkHttpResponse().statusCode()).as("restored again").isEqualTo(200);
    }

    @Test
    void aListingAskedForTheRestoreStatusAnswersItForEachArchivedObjectARestoreWasAskedFor() {
        put("list/never.bin", StorageClass.GLACIER, "a");
        put("list/restored.bin", StorageClass.GLACIER, "b");
        put("list/restoring.bin", StorageClass.DEEP_ARCHIVE, "c");
        put("list/standard.bin", StorageClass.STANDARD, "d");
        local.archive().restoreDelay(Duration.ZERO);
        restore("list/restored.bin", 3, Tier.STANDARD);
        local.archive().restoreDelay(Duration.ofHours(1));
        restore("list/restoring.bin", 3, Tier.STANDARD);

        Map<String, S3Object> listed = local.s3().listObjectsV2(b -> b.bucket(local.bucket()).prefix("list/")
                .optionalObjectAttributes(OptionalObjectAttributes.RESTORE_STATUS)).contents().stream()
                .collect(Collectors.toMap(S3Object::key, Function.identity()));

        assertThat(listed).hasSize(4);
        assertThat(listed.get("list/never.bin").restoreStatus()).isNull();
        assertThat(listed.get("list/standard.bin").restoreStatus()).isNull();
        RestoreStatus restoring = listed.get("list/restoring.bin").restoreStatus();
        assertThat(restoring.isRestoreInProgress()).isTrue();
        assertThat(restoring.restoreExpiryDate()).isNull();
        RestoreStatus restored = listed.get("list/restored.bin").restoreStatus();
        assertThat(restored.isRestoreInProgress()).isFalse();
        assertThat(restored.restoreExpiryDate()).isBetween(Instant.now().plus(Duration.ofDays(3)), Instant.now().plus(Duration.ofDays(4)));
        assertThat(restored.restoreExpiryDate().atOffset(ZoneOffset.UTC).toLocalTime()).as("midnight UTC").hasToString("00:00");
        assertThat(local.s3().listObjectsV2(b -> b.bucket(local.bucket()).prefix("list/").encodingType("url")
                .optionalObjectAttributes(OptionalObjectAttributes.RESTORE_STATUS)).contents())
                .as("url-encoded keys are found too").filteredOn(o -> o.restoreStatus() != null).hasSize(2);
        assertThat(local.s3().listObjectsV2(b -> b.bucket(local.bucket()).prefix("list/")).contents())
                .as("not asked for, not answered").allSatisfy(o -> assertThat(o.restoreStatus()).isNull());
    }

    @Test
    void anObjectWrittenAgainIsArchivedAfreshEvenWithTheSameBytes() {
        local.archive().restoreDelay(Duration.ZERO);
        put("cold/replaced.bin", StorageClass.GLACIER, "same");
        restore("cold/replaced.bin", 1, Tier.STANDARD);
        assertThat(get("cold/replaced.bin")).isEqualTo("same");

        put("cold/replaced.bin", StorageClass.GLACIER, "same");

        assertThat(restoreHeader("cold/replaced.bin")).isNull();
        assertThat(refusal(() -> get("cold/replaced.bin")).awsErrorDetails().errorCode()).isEqualTo("InvalidObjectState");
        assertThat(restore("cold/replaced.bin", 1, Tier.STANDARD).sdkHttpResponse().statusCode()).isEqualTo(202);
    }

    @Test
    void aRestoreOfAnObjectThatIsNotArchivedOrDoesNotExistOrOfDeepArchiveExpeditedIsRefusedAsS3RefusesIt() {
        put("cold/standard.bin", StorageClass.STANDARD, "warm");
        put("cold/deep.bin", StorageClass.DEEP_ARCHIVE, "deep");

        S3Exception notArchived = refusal(() -> restore("cold/standard.bin", 1, Tier.STANDARD));
        S3Exception missing = refusal(() -> restore("cold/missing.bin", 1, Tier.STANDARD));
        S3Exception expedited = refusal(() -> restore("cold/deep.bin", 1, Tier.EXPEDITED));

        assertThat(notArchived.statusCode()).isEqualTo(403);
        assertThat(notArchived.awsErrorDetails().errorCode()).isEqualTo("InvalidObjectState");
        assertThat(notArchived.awsErrorDetails().errorMessage()).isEqualTo("Restore is not allowed for the object's current storage class");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.awsErrorDetails().errorCode()).isEqualTo("NoSuchKey");
        assertThat(expedited.statusCode()).isEqualTo(400);
        assertThat(restoreHeader("cold/deep.bin")).as("nothing started").isNull();
    }

    @Test
    void aCopyOrPartCopyOfAnUnrestoredObjectIsRefusedAndOnceRestoredItCopies() {
        put("cold/source.bin", StorageClass.GLACIER, "to copy");
        String uploadId = local.s3().createMultipartUpload(b -> b.bucket(local.bucket()).key("warm/parts.bin")).uploadId();

        S3Exception copy = refusal(() -> local.s3().copyObject(b -> b.sourceBucket(local.bucket()).sourceKey("cold/source.bin")
                .destinationBucket(local.bucket()).destinationKey("warm/copy.bin")));
        S3Exception partCopy = refusal(() -> local.s3().uploadPartCopy(b -> b.sourceBucket(local.bucket()).sourceKey("cold/source.bin")
                .destinationBucket(local.bucket()).destinationKey("warm/parts.bin").uploadId(uploadId).partNumber(1)));

        assertThat(copy.statusCode()).isEqualTo(403);
        assertThat(copy.awsErrorDetails().errorCode()).isEqualTo("InvalidObjectState");
        assertThat(partCopy.statusCode()).isEqualTo(403);
        assertThat(partCopy.awsErrorDetails().errorCode()).isEqualTo("InvalidObjectState");
        assertThat(local.s3().listObjectsV2(b -> b.bucket(local.bucket()).prefix("warm/copy")).contents()).isEmpty();
        local.archive().restoreDelay(Duration.ZERO);
        restore("cold/source.bin", 1, Tier.STANDARD);
        local.s3().copyObject(b -> b.sourceBucket(local.bucket()).sourceKey("cold/source.bin")
                .destinationBucket(local.bucket()).destinationKey("warm/copy.bin"));
        assertThat(get("warm/copy.bin")).isEqualTo("to copy");
        assertThat(local.s3().headObject(b -> b.bucket(local.bucket()).key("warm/copy.bin")).storageClass())
                .as("a copy is STANDARD unless asked otherwise").isIn(StorageClass.STANDARD, null);
    }

    @Test
    void aBadlySignedRestoreOrGetOfAnArchivedObjectIsRefusedForItsSignatureAndStartsNothing() {
        put("cold/signed.bin", StorageClass.GLACIER, "secret");
        try (S3Client impostor = S3Client.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(local.endpoint())
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(local.accessKey(), "not-the-secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {

            S3Exception restore = refusal(() -> impostor.restoreObject(b -> b.bucket(local.bucket()).key("cold/signed.bin")
                    .restoreRequest(r -> r.days(1))));
            S3Exception get = refusal(() -> impostor.getObjectAsBytes(b -> b.bucket(local.bucket()).key("cold/signed.bin")));

            assertThat(restore.statusCode()).isEqualTo(403);
            assertThat(restore.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
            assertThat(get.statusCode()).isEqualTo(403);
            assertThat(get.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
        }
        assertThat(restoreHeader("cold/signed.bin")).isNull();
    }

    @Test
    void restoresTakeThreeSecondsUnlessTheSettingsSayOtherwise() {
        var settings = LocalS3.Settings.ephemeral(Path.of("unused"));

        assertThat(settings.restoreDelay()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.withRestoreDelay(Duration.ofSeconds(1)).restoreDelay()).isEqualTo(Duration.ofSeconds(1));
    }
}
