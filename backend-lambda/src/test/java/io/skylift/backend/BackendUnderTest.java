package io.skylift.backend;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext;
import io.skylift.backend.storage.CopyLimits;
import io.skylift.locals3.LocalS3;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.RestoreObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The real handler against a real S3 API server (S3Proxy) on 127.0.0.1, called with the events
 * API Gateway would send. Also holds a separate S3 client for looking at the bucket directly.
 */
final class BackendUnderTest implements AutoCloseable {

    static final String SECRET = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    final LocalS3 server;
    final Handler handler;
    final Config config;
    /** Direct access to the bucket, for assertions and for setting up what a test needs. */
    final S3Client bucket;
    /** S3 calls the handler made (not the test's own). */
    final AtomicInteger handlerS3Calls = new AtomicInteger();
    /** Keys the handler's listings of objects were answered with, summed over its calls. */
    final AtomicInteger handlerListedKeys = new AtomicInteger();
    final CapturingContext context = new CapturingContext();
    /** Keys whose next CreateMultipartUpload by the handler fails with S3's 503 SlowDown, which S3Proxy never answers. */
    final java.util.Set<String> slowDownOnNextCreate = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /**
     * Keys a handler's DeleteObjects leaves in place and answers with a per-key {@code InternalError}, as S3 may;
     * S3Proxy never fails one key of many. They are taken out of the request, so storage keeps them.
     */
    final java.util.Set<String> refuseDeletionOf = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Keys whose next RestoreObject by the handler S3 answers with this error (S3Proxy answers every one 501). */
    final Map<String, S3Exception> restoreAnswers = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * Keys whose next DeleteObject by the handler first runs this: a change a test makes to storage just before,
     * or an S3 error thrown instead of the delete.
     */
    final Map<String, Runnable> beforeNextDeleteOf = new java.util.concurrent.ConcurrentHashMap<>();
    private static final ExecutionAttribute<java.util.List<String>> REFUSED = new ExecutionAttribute<>("skylift-refused-deletions");
    private final boolean ownsServer;

    private BackendUnderTest(LocalS3 server, Map<String, String> extraEnv, Clock clock, boolean ownsServer, CopyLimits copying) {
        this.server = server;
        this.ownsServer = ownsServer;
        Map<String, String> env = new HashMap<>(Map.of(
                "SKYLIFT_BUCKET", server.bucket(),
                "AWS_REGION", server.region(),
                "SKYLIFT_SEAL_SECRET", SECRET,
                "SKYLIFT_S3_ENDPOINT", server.endpoint().toString()));
        env.putAll(extraEnv);
        this.config = Config.fromEnvironment(env);
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(server.accessKey(), server.secretKey()));
        var counting = ClientOverrideConfiguration.builder().addExecutionInterceptor(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                handlerS3Calls.incrementAndGet();
                if (context.request() instanceof RestoreObjectRequest restore && restoreAnswers.containsKey(restore.key())) {
                    throw restoreAnswers.remove(restore.key());
                }
                if (context.request() instanceof DeleteObjectRequest delete && beforeNextDeleteOf.containsKey(delete.key())) {
                    beforeNextDeleteOf.remove(delete.key()).run();
                }
                if (context.request() instanceof CreateMultipartUploadRequest create && slowDownOnNextCreate.remove(create.key())) {
                    throw S3Exception.builder().statusCode(503)
                            .awsErrorDetails(AwsErrorDetails.builder().errorCode("SlowDown").errorMessage("Please reduce your request rate.").build())
                            .build();
                }
            }

            @Override
            public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
                if (!(context.request() instanceof DeleteObjectsRequest delete) || refuseDeletionOf.isEmpty()) {
                    return context.request();
                }
                var kept = delete.delete().objects().stream().filter(o -> !refuseDeletionOf.contains(o.key())).toList();
                attributes.putAttribute(REFUSED, delete.delete().objects().stream().map(ObjectIdentifier::key)
                        .filter(refuseDeletionOf::contains).toList());
                if (kept.isEmpty()) {
                    // S3 refuses an empty list: delete a name that holds nothing instead.
                    kept = java.util.List.of(ObjectIdentifier.builder().key("u/no-such-file-" + UUID.randomUUID()).build());
                }
                var objects = kept;
                return delete.toBuilder().delete(d -> d.quiet(delete.delete().quiet()).objects(objects)).build();
            }

            @Override
            public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
                if (context.response() instanceof software.amazon.awssdk.services.s3.model.ListObjectsV2Response listing) {
                    handlerListedKeys.addAndGet(listing.contents().size());
                }
                var refused = attributes.getAttribute(REFUSED);
                if (refused == null || !(context.response() instanceof DeleteObjectsResponse response)) {
                    return context.response();
                }
                var errors = new java.util.ArrayList<>(response.errors());
                refused.forEach(key -> errors.add(S3Error.builder().key(key).code("InternalError")
                        .message("We encountered an internal error. Please try again.").build()));
                return response.toBuilder().errors(errors).build();
            }
        }).build();
        this.handler = new Handler(config, Clients.create(config, credentials, counting), clock, copying);
        this.bucket = S3Client.builder()
                .region(Region.of(server.region()))
                .endpointOverride(server.endpoint())
                .forcePathStyle(true)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    static BackendUnderTest start(Path dir) throws IOException {
        return start(dir, Map.of());
    }

    static BackendUnderTest start(Path dir, Map<String, String> extraEnv) throws IOException {
        return start(dir, extraEnv, Clock.systemUTC());
    }

    static BackendUnderTest start(Path dir, Map<String, String> extraEnv, Clock clock) throws IOException {
        return new BackendUnderTest(LocalS3.start(LocalS3.Settings.ephemeral(dir)), extraEnv, clock, true, CopyLimits.S3);
    }

    /** A handler whose moves copy with {@code copying} instead of S3's limits: small files take the multipart path. */
    static BackendUnderTest start(Path dir, CopyLimits copying) throws IOException {
        return new BackendUnderTest(LocalS3.start(LocalS3.Settings.ephemeral(dir)), Map.of(), Clock.systemUTC(), true, copying);
    }

    /**
     * Another handler on the same storage, configured with {@code extraEnv} on top of the defaults: what
     * the next deployment (a rotated secret, say) would be. Closing it leaves the storage running.
     */
    BackendUnderTest alsoServing(Map<String, String> extraEnv, Clock clock) {
        return new BackendUnderTest(server, extraEnv, clock, false, CopyLimits.S3);
    }

    /** S3's error answer with this status and code, as a test arms it. */
    static S3Exception s3Error(int status, String code, String message) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }

    /** Calls as a signed-in person with these claims; null claims is a request with no valid token. */
    Caller as(Map<String, String> claims) {
        return new Caller(claims);
    }

    final class Caller {
        private final Map<String, String> claims;

        Caller(Map<String, String> claims) {
            this.claims = claims;
        }

        Reply get(String path) {
            return send("GET", path, null);
        }

        Reply get(String path, Map<String, String> query) {
            return send("GET", path, query, null);
        }

        Reply post(String path, String json) {
            return send("POST", path, json);
        }

        Reply delete(String path) {
            return send("DELETE", path, null);
        }

        Reply send(String method, String path, String body) {
            return send(method, path, Map.of(), body);
        }

        Reply send(String method, String path, Map<String, String> query, String body) {
            var event = new EventBuilder(method, path).query(query).body(body).claims(claims).build();
            var response = handler.handleRequest(event, BackendUnderTest.this.context);
            return new Reply(response.getStatusCode(), response.getHeaders(), response.getBody());
        }
    }

    /** Builds the event API Gateway's HTTP API (payload 2.0) sends for a request. */
    static final class EventBuilder {
        private final String method;
        private final String path;
        private Map<String, String> query = Map.of();
        private String body;
        private Map<String, String> claims;
        private String stage = "$default";

        EventBuilder(String method, String path) {
            this.method = method;
            this.path = path;
        }

        EventBuilder query(Map<String, String> query) {
            this.query = query;
            return this;
        }

        EventBuilder body(String body) {
            this.body = body;
            return this;
        }

        EventBuilder claims(Map<String, String> claims) {
            this.claims = claims;
            return this;
        }

        EventBuilder stage(String stage) {
            this.stage = stage;
            return this;
        }

        APIGatewayV2HTTPEvent build() {
            var http = RequestContext.Http.builder().withMethod(method).withPath(path).withProtocol("HTTP/1.1")
                    .withSourceIp("192.0.2.10").withUserAgent("skylift-test").build();
            var context = RequestContext.builder()
                    .withRequestId(UUID.randomUUID().toString())
                    .withStage(stage)
                    .withRouteKey("$default")
                    .withApiId("test")
                    .withDomainName("api.example.test")
                    .withTimeEpoch(Instant.now().toEpochMilli())
                    .withHttp(http);
            if (claims != null) {
                context.withAuthorizer(RequestContext.Authorizer.builder()
                        .withJwt(RequestContext.Authorizer.JWT.builder().withClaims(claims).build()).build());
            }
            Map<String, String> headers = new HashMap<>(Map.of("host", "api.example.test", "authorization", "Bearer test-token-secret"));
            if (body != null) {
                headers.put("content-type", "application/json");
            }
            return APIGatewayV2HTTPEvent.builder()
                    .withVersion("2.0")
                    .withRouteKey("$default")
                    .withRawPath(path)
                    .withRawQueryString(query.entrySet().stream()
                            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                            .collect(Collectors.joining("&")))
                    .withQueryStringParameters(query.isEmpty() ? null : query)
                    .withHeaders(headers)
                    .withBody(body)
                    .withIsBase64Encoded(false)
                    .withRequestContext(context.build())
                    .build();
        }
    }

    @Override
    public void close() {
        bucket.close();
        if (ownsServer) {
            server.close();
        }
    }
}
