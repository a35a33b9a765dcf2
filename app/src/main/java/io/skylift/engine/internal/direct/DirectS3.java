package io.skylift.engine.internal.direct;

import io.skylift.engine.DirectTarget;
import io.skylift.engine.TransferException;
import io.skylift.engine.TransferException.Reason;
import io.skylift.net.ProxyEnvironment;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.crt.S3CrtRetryConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/**
 * A bucket reached with the person's own AWS credentials: the AWS CRT's S3 client and the transfer
 * manager on it, built once per engine, and the translation of what they throw into messages that
 * say which credentials were tried and what to do. Thread-safe.
 */
public final class DirectS3 implements AutoCloseable {

    /**
     * The direct route's whole retry budget: the CRT sends one part or range at most 1 + this many
     * times (with its own backoff), and Skylift adds no retry on top; past that the transfer pauses,
     * resumable, and a resume starts a fresh allowance (docs/concurrency.md).
     */
    private static final int CRT_RETRIES = 5;
    private static final long DEFAULT_PART_SIZE = 16L * 1024 * 1024;
    private static final long NATIVE_MEMORY_FLOOR = 1024L * 1024 * 1024;

    private final DirectTarget target;
    private final AwsCredentialsProvider credentials;
    private final S3AsyncClient s3;
    private final S3TransferManager transfers;
    private final long partSize;
    private final int concurrency;

    private DirectS3(DirectTarget target, AwsCredentialsProvider credentials, S3AsyncClient s3, long partSize, int concurrency) {
        this.target = target;
        this.credentials = credentials;
        this.s3 = s3;
        this.transfers = S3TransferManager.builder().s3Client(s3).build();
        this.partSize = partSize;
        this.concurrency = concurrency;
    }

    /** Connections the CRT may open at once: fixed when it was built. */
    public int concurrency() {
        return concurrency;
    }

    /**
     * @param concurrency connections the CRT may open at once
     * @param partSize    bytes per part, 0 for 16 MiB (the CRT raises it when 10,000 parts would not cover a file)
     */
    public static DirectS3 open(DirectTarget target, int concurrency, long partSize) {
        AwsCredentialsProvider credentials = target.profile() != null
                ? ProfileCredentialsProvider.builder().profileName(target.profile()).build()
                : DefaultCredentialsProvider.builder().build();
        long part = partSize > 0 ? partSize : DEFAULT_PART_SIZE;
        Region region = region(target);
        var builder = S3AsyncClient.crtBuilder()
                .credentialsProvider(credentials)
                .region(region)
                .maxConcurrency(concurrency)
                .minimumPartSizeInBytes(part)
                // The CRT's part buffers live outside the Java heap; this caps them (1 GiB is its minimum).
                .maxNativeMemoryLimitInBytes(Math.clamp(2L * concurrency * part, NATIVE_MEMORY_FLOOR, 4 * NATIVE_MEMORY_FLOOR))
                .checksumValidationEnabled(true)
                .retryConfiguration(S3CrtRetryConfiguration.builder().numRetries(CRT_RETRIES).build());
        if (target.endpoint() != null) {
            builder.endpointOverride(target.endpoint()).forcePathStyle(true);
        }
        // The CRT does not ask Java's proxy selector: give it the proxy the selector picks for S3.
        ProxyEnvironment.proxyFor(target.endpoint() != null ? target.endpoint() : URI.create("https://s3." + region.id() + ".amazonaws.com/"))
                .ifPresent(proxy -> builder.httpConfiguration(http -> http.proxyConfiguration(p -> p.scheme("http")
                        .host(proxy.getHostString()).port(proxy.getPort()).useSystemPropertyValues(false)
                        .useEnvironmentVariableValues(false))));
        try {
            return new DirectS3(target, credentials, builder.build(), part, concurrency);
        } catch (UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError e) {
            throw new TransferException(Reason.INTERNAL, "The AWS CRT's native library does not load on this computer (" + e
                    + "); use the Skylift API instead of a direct bucket.", false, e);
        }
    }

    // The bucket's region: given, else the profile's or the environment's; an S3-compatible server needs none.
    private static Region region(DirectTarget target) {
        if (target.region() != null) {
            return Region.of(target.region());
        }
        try {
            var chain = target.profile() != null
                    ? DefaultAwsRegionProviderChain.builder().profileName(target.profile()).build()
                    : new DefaultAwsRegionProviderChain();
            return chain.getRegion();
        } catch (SdkClientException none) {
            if (target.endpoint() != null) {
                return Region.US_EAST_1;
            }
            throw new TransferException(Reason.BAD_REQUEST, "No AWS region for s3://" + target.bucket() + ": pass --region"
                    + " (e.g. eu-west-1), set AWS_REGION, or add region to " + profileWords(target) + " in ~/.aws/config.", false);
        }
    }

    public DirectTarget target() {
        return target;
    }

    public String bucket() {
        return target.bucket();
    }

    public S3AsyncClient s3() {
        return s3;
    }

    public S3TransferManager transfers() {
        return transfers;
    }

    /** The part size asked of the CRT for files under 10,000 parts of it. */
    public long partSize() {
        return partSize;
    }

    /** Fails with a clear message unless credentials resolve and may list the bucket. */
    public void check() {
        try {
            credentials.resolveCredentials();
        } catch (SdkException e) {
            throw noCredentials(e);
        }
        await(() -> s3.listObjectsV2(b -> b.bucket(target.bucket()).maxKeys(1)).get());
    }

    /** Runs an S3 call and turns what it throws into a {@link TransferException}. */
    public <T> T await(Call<T> call) {
        try {
            return call.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransferException(Reason.UNAVAILABLE, "Interrupted while talking to S3.", true, e);
        } catch (ExecutionException | CompletionException e) {
            throw explain(e.getCause() == null ? e : e.getCause());
        } catch (SdkException e) {
            throw explain(e);
        }
    }

    /** An S3 call that may block. */
    @FunctionalInterface
    public interface Call<T> {
        T run() throws InterruptedException, ExecutionException;
    }

    /** What went wrong, in words that name the credentials and the bucket, and whether trying later may help. */
    public TransferException explain(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof TransferException known) {
            return known;
        }
        String said = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (said.contains("no space left") || said.contains("out of space") || said.contains("disk quota") || said.contains("not enough space")) {
            return new TransferException(Reason.LOCAL_IO, "The disk is full. Free some space, then resume: what was"
                    + " transferred is kept.", true, e);
        }
        if (e instanceof S3Exception s3e) {
            String code = s3e.awsErrorDetails() == null || s3e.awsErrorDetails().errorCode() == null ? "" : s3e.awsErrorDetails().errorCode();
            String where = "s3://" + target.bucket();
            return switch (code) {
                case "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "AuthorizationHeaderMalformed" ->
                        new TransferException(Reason.UNAUTHORIZED, "S3 refused the AWS credentials from " + sourceWords() + " (" + code
                                + "). Check the access key and secret, or sign in again (`aws sso login`" + profileOption() + ").", false, e);
                case "ExpiredToken", "TokenRefreshRequired" -> new TransferException(Reason.UNAUTHORIZED, "The AWS credentials from "
                        + sourceWords() + " have expired. Sign in again (`aws sso login" + profileOption() + "`), then resume.", true, e);
                case "AccessDenied", "AllAccessDisabled" -> new TransferException(Reason.FORBIDDEN, "The AWS credentials from "
                        + sourceWords() + " may not do this in " + where + " (AccessDenied). Ask for s3:GetObject, s3:PutObject,"
                        + " s3:ListBucket and s3:ListBucketMultipartUploads on it, or use another profile.", false, e);
                case "NoSuchBucket" -> new TransferException(Reason.NOT_FOUND, "There is no bucket " + where
                        + (target.endpoint() == null ? "" : " at " + target.endpoint()) + ". Check the name and the region.", false, e);
                case "NoSuchKey", "NotFound" -> new TransferException(Reason.NOT_FOUND, "No such file in " + where + ".", false, e);
                case "InvalidObjectState" -> new TransferException(Reason.ARCHIVED, "The file in " + where + " is archived (Glacier);"
                        + " restore it first (for instance with `aws s3api restore-object`). A restore takes minutes to hours"
                        + " (up to 48 for DEEP_ARCHIVE).", false, e);
                case "PreconditionFailed" -> new TransferException(Reason.REMOTE_CHANGED, "The file in " + where
                        + " was replaced during the transfer; start it again to get the new version.", false, e);
                case "SlowDown", "ServiceUnavailable", "InternalError", "RequestTimeout" -> new TransferException(Reason.UNAVAILABLE,
                        "S3 is busy or unavailable (" + code + "); the transfer can be resumed.", true, e);
                default -> s3e.statusCode() == 404
                        ? new TransferException(Reason.NOT_FOUND, "No such file in " + where + ".", false, e)
                        : new TransferException(s3e.statusCode() >= 500 ? Reason.UNAVAILABLE : Reason.INTERNAL, "S3 refused the request ("
                        + s3e.statusCode() + (code.isEmpty() ? "" : " " + code) + ").", s3e.statusCode() >= 500, e);
            };
        }
        if (e instanceof SdkClientException client) {
            String message = String.valueOf(client.getMessage());
            String lower = message.toLowerCase(Locale.ROOT);
            if (lower.contains("credentials") || lower.contains("profile")) {
                return noCredentials(client);
            }
            // The CRT reports 503 SlowDown and 5xx it retried in vain as a client error, in words.
            if (lower.contains("throttl") || lower.contains("service unavailable") || lower.contains("internal error")) {
                return new TransferException(Reason.UNAVAILABLE, "S3 is busy or unavailable (it kept refusing with "
                        + (lower.contains("throttl") ? "SlowDown" : "server errors") + "); the transfer can be resumed.", true, e);
            }
            return new TransferException(Reason.UNAVAILABLE, "Cannot reach S3" + (target.endpoint() == null ? "" : " at "
                    + target.endpoint()) + " (" + firstSentence(message) + "); check the network, then resume.", true, e);
        }
        if (e instanceof java.io.IOException io) {
            return new TransferException(Reason.LOCAL_IO, "Cannot read or write the local file: " + io.getMessage(), true, e);
        }
        return new TransferException(Reason.INTERNAL, "Direct transfer failed: " + e, false, e);
    }

    private TransferException noCredentials(Exception e) {
        String tried = target.profile() != null
                ? "the profile '" + target.profile() + "' in ~/.aws/config and ~/.aws/credentials"
                : "the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY environment variables, the aws.accessKeyId system property,"
                + " a web identity token, the " + defaultProfile() + " profile in ~/.aws/config and ~/.aws/credentials,"
                + " container credentials and the instance role";
        String todo = target.profile() != null
                ? "Check the profile's name and settings; for an SSO profile run `aws sso login --profile " + target.profile() + "`."
                : "Run `aws configure` or `aws sso login`, or name a profile with --profile NAME.";
        // The chain's own message repeats every provider's internals; a profile's says what is wrong with it.
        String detail = target.profile() != null ? " (" + firstSentence(String.valueOf(e.getMessage())) + ")" : "";
        return new TransferException(Reason.UNAUTHORIZED, "No AWS credentials found. Tried " + tried + detail + ". " + todo, false, e);
    }

    private String sourceWords() {
        return target.profile() != null ? "the profile '" + target.profile() + "'" : "the default credential chain";
    }

    private String profileOption() {
        return target.profile() != null ? " --profile " + target.profile() : "";
    }

    private static String profileWords(DirectTarget target) {
        return target.profile() != null ? "the profile '" + target.profile() + "'" : "the " + defaultProfile() + " profile";
    }

    private static String defaultProfile() {
        String named = System.getenv("AWS_PROFILE");
        return named == null || named.isBlank() ? "default" : "'" + named + "'";
    }

    // The SDK's own messages list every provider with its internals; the first sentence is the useful part.
    private static String firstSentence(String message) {
        String first = message.split("(?<=\\.) ", 2)[0];
        return first.length() > 200 ? first.substring(0, 200) + "…" : first;
    }

    @Override
    public void close() {
        transfers.close();
        s3.close();
        if (credentials instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // nothing is held that outlives the process
            }
        }
    }
}
