package io.skylift.backend.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.skylift.locals3.LocalS3;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * A retried complete recognises the object its own first attempt made by its ETag, computed from
 * the parts the way storage computes it; checked here against a real S3 server.
 */
class MultipartEtagTest {

    @TempDir
    Path dir;

    @Test
    void theEtagMadeFromThePartsIsTheOneStorageGivesTheObject() throws Exception {
        try (LocalS3 server = LocalS3.start(LocalS3.Settings.ephemeral(dir));
             S3Client s3 = S3Client.builder().region(Region.US_EAST_1).endpointOverride(server.endpoint()).forcePathStyle(true)
                     .httpClient(UrlConnectionHttpClient.create())
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
                     .build()) {
            String uploadId = s3.createMultipartUpload(b -> b.bucket(server.bucket()).key("k")).uploadId();
            Random random = new Random(1);
            byte[][] bodies = {new byte[5 * 1024 * 1024], new byte[5 * 1024 * 1024], new byte[1234]};
            List<CompletedPart> parts = new java.util.ArrayList<>();
            for (int n = 1; n <= bodies.length; n++) {
                random.nextBytes(bodies[n - 1]);
                int part = n;
                String etag = s3.uploadPart(b -> b.bucket(server.bucket()).key("k").uploadId(uploadId).partNumber(part),
                        RequestBody.fromBytes(bodies[part - 1])).eTag();
                parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
            }

            String stored = s3.completeMultipartUpload(b -> b.bucket(server.bucket()).key("k").uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts))).eTag();

            assertThat(CompleteUpload.multipartEtag(parts)).isEqualTo(stored.replace("\"", ""));
            assertThat(CompleteUpload.multipartEtag(parts.subList(0, 2))).isNotEqualTo(stored.replace("\"", ""));
        }
    }
}
