package io.skylift.locals3;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/** DeleteObjects answers in the sandbox as on S3, quiet and verbose, whatever the keys' characters. */
class DeleteObjectsTest {

    @RegisterExtension
    static final LocalS3UnderTest local = new LocalS3UnderTest();

    static void put(String key) {
        local.s3().putObject(b -> b.bucket(local.bucket()).key(key), RequestBody.fromString(key));
    }

    static DeleteObjectsResponse delete(boolean quiet, List<String> keys) {
        List<ObjectIdentifier> objects = keys.stream().map(key -> ObjectIdentifier.builder().key(key).build()).toList();
        return local.s3().deleteObjects(b -> b.bucket(local.bucket()).delete(d -> d.quiet(quiet).objects(objects)));
    }

    static List<String> listed(String prefix) {
        return local.s3().listObjectsV2(b -> b.bucket(local.bucket()).prefix(prefix)).contents().stream().map(S3Object::key).toList();
    }

    @Test
    void aVerboseDeleteNamesEveryKeyAsDeletedAlsoOneThatWasNotThereAndLeavesNoEmptyFolderListed() {
        List<String> keys = List.of("verbose/a.jpg", "verbose/b&c <d>.jpg", "verbose/sub/été ü.jpg", "verbose/sub/x+y.jpg");
        keys.forEach(DeleteObjectsTest::put);
        put("verbose/kept.jpg");

        DeleteObjectsResponse answer = delete(false, List.of(keys.get(0), keys.get(1), keys.get(2), keys.get(3), "verbose/never.jpg"));

        assertThat(answer.deleted()).extracting(DeletedObject::key)
                .containsExactlyInAnyOrder(keys.get(0), keys.get(1), keys.get(2), keys.get(3), "verbose/never.jpg");
        assertThat(answer.errors()).isEmpty();
        assertThat(listed("verbose/")).containsExactly("verbose/kept.jpg");
        assertThat(local.s3().listObjectsV2(b -> b.bucket(local.bucket()).prefix("verbose/").delimiter("/")).commonPrefixes())
                .as("the emptied folder is gone").isEmpty();
    }

    @Test
    void aQuietDeleteAnswersNothingButErrorsAndDeletesEveryKey() {
        List<String> keys = List.of("quiet/1.jpg", "quiet/2.jpg", "quiet/deep/3.jpg");
        keys.forEach(DeleteObjectsTest::put);

        DeleteObjectsResponse answer = delete(true, List.of(keys.get(0), keys.get(1), keys.get(2), "quiet/never.jpg"));

        assertThat(answer.deleted()).isEmpty();
        assertThat(answer.errors()).isEmpty();
        assertThat(listed("quiet/")).isEmpty();
    }
}
