package io.skylift.testing;

import io.skylift.sandbox.Sandbox;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The sandbox's bucket seen straight through S3, as an administrator would: what is really stored. */
public final class SandboxBucket {

    private SandboxBucket() {}

    public static S3Client client(Sandbox sandbox) {
        return S3Client.builder().region(Region.US_EAST_1).endpointOverride(sandbox.info().s3Endpoint()).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(sandbox.info().s3AccessKey(),
                        sandbox.info().s3SecretKey()))).build();
    }
}
