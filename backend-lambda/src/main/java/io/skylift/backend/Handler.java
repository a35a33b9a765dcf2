package io.skylift.backend;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.skylift.backend.http.ApiError;
import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.http.Json;
import io.skylift.backend.http.Router;
import io.skylift.backend.http.Router.Access;
import io.skylift.backend.keys.KeyRules;
import io.skylift.backend.route.AbortMove;
import io.skylift.backend.route.AbortUpload;
import io.skylift.backend.route.CompleteUpload;
import io.skylift.backend.route.CompleteUploadBatch;
import io.skylift.backend.route.ConfigRoute;
import io.skylift.backend.route.CreateDownload;
import io.skylift.backend.route.CreateUpload;
import io.skylift.backend.route.ContinueMove;
import io.skylift.backend.route.CreateUploadBatch;
import io.skylift.backend.route.CreateShare;
import io.skylift.backend.route.ListShares;
import io.skylift.backend.route.RevokeShare;
import io.skylift.backend.route.ShareDownload;
import io.skylift.backend.route.SharePage;
import io.skylift.backend.share.PublicShare;
import io.skylift.backend.share.ShareLinks;
import io.skylift.backend.signing.ShareSeal;
import io.skylift.backend.storage.ShareMarkers;
import io.skylift.backend.route.DeleteFile;
import io.skylift.backend.route.DeleteFileBatch;
import io.skylift.backend.route.FileContent;
import io.skylift.backend.route.ListFiles;
import io.skylift.backend.route.ListParts;
import io.skylift.backend.route.ListUploads;
import io.skylift.backend.route.MeRoute;
import io.skylift.backend.route.MoveFile;
import io.skylift.backend.route.RestoreFile;
import io.skylift.backend.route.SignParts;
import io.skylift.backend.signing.UploadSeal;
import io.skylift.backend.signing.UrlSigner;
import io.skylift.backend.storage.Bucket;
import io.skylift.backend.storage.CopyLimits;
import io.skylift.backend.storage.StorageFailures;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The Lambda entry point for API Gateway HTTP API events (payload 2.0): parse, route, map to a
 * status. The work lives in one class per route.
 *
 * <p>Built once per container (clients and a first signature included, so a SnapStart snapshot is
 * warm). Thread-safe: the sandbox calls one instance from many threads. Logs one line per request
 * naming the route template, never the path, query, body, headers or any URL.
 */
public final class Handler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    // A share link's path, under a named stage or not: /s/… or /<stage>/s/…
    private static final java.util.regex.Pattern SHARE_PATH = java.util.regex.Pattern.compile("(/[^/]+)?/s/");

    private final Router router;
    final Priming priming;

    /**
     * Warms the paths every request takes before a snapshot (SnapStart): the signer, JSON both ways.
     * Signing resolves the function's credentials through its provider (under SnapStart that is
     * Lambda's local credentials endpoint, never S3), so the snapshot may hold them; after a restore
     * the provider keeps using them and fetches new ones before they expire.
     */
    static final class Priming implements org.crac.Resource {
        private final UrlSigner signer;

        Priming(UrlSigner signer) {
            this.signer = signer;
        }

        /** @return the body it read back, so a test can see the JSON went both ways */
        SignParts.Request prime() {
            signer.prime();
            return Json.read(Json.write(java.util.Map.of("parts", java.util.List.of(java.util.Map.of("partNumber", 1, "crc32c", "AAAAAA==")))),
                    SignParts.Request.class);
        }

        @Override
        public void beforeCheckpoint(org.crac.Context<? extends org.crac.Resource> context) {
            prime();
        }

        @Override
        public void afterRestore(org.crac.Context<? extends org.crac.Resource> context) {
            // Nothing to renew: clients resolve credentials on use.
        }
    }

    /**
     * The constructor Lambda calls: configuration from the environment, clients from the default
     * chain, the seal secret from Secrets Manager when configured so. Registered with CRaC so that a
     * SnapStart snapshot holds a primed handler.
     */
    public Handler() {
        this(Config.fromEnvironment(System.getenv()));
        org.crac.Core.getGlobalContext().register(priming);
    }

    public Handler(Config config) {
        this(config, Clients.forLambda(config));
    }

    private Handler(Config config, Clients clients) {
        this(withSealSecret(config, clients), clients, Clock.systemUTC());
    }

    // Read once, at start: under SnapStart the snapshot holds them, so a rotation takes effect with the
    // next published version (the template's SealRotation parameter publishes one).
    private static Config withSealSecret(Config config, Clients clients) {
        if (config.sealSecret() != null) {
            return config;
        }
        String arn = config.sealSecretArn().orElseThrow();
        var credentials = software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider.builder().build();
        var http = software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create();
        var endpoint = SecretsManagerSecret.endpointFor(config.region());
        String secret = SecretsManagerSecret.read(arn, config.region(), credentials, http, endpoint);
        var previous = SecretsManagerSecret.readPrevious(arn, config.region(), credentials, http, endpoint);
        return config.withSealSecrets(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                previous.map(p -> p.getBytes(java.nio.charset.StandardCharsets.UTF_8)).orElse(null));
    }

    public Handler(Config config, Clients clients, Clock clock) {
        this(config, clients, clock, CopyLimits.S3);
    }

    /** @param copying how moves copy inside the bucket: S3's limits, or smaller ones for a test */
    public Handler(Config config, Clients clients, Clock clock, CopyLimits copying) {
        var keys = new KeyRules(config.archivePrefix());
        var seal = new UploadSeal(config.sealSecret(), config.previousSealSecret(), config.uploadIdLifetime(), clock);
        var signer = new UrlSigner(clients.presigner(), clients.credentials(), config.bucket(), config.urlTtl(), clock);
        var bucket = new Bucket(clients.s3(), config.bucket());
        var createUpload = new CreateUpload(keys, seal, signer, bucket, config.maxFileSize());
        var completeUpload = new CompleteUpload(seal, bucket);
        var shareSeal = new ShareSeal(config.sealSecret(), config.previousSealSecret(), clock);
        var markers = new ShareMarkers(bucket, clock);
        var links = new ShareLinks(shareSeal, config.shareBaseUrl());
        var publicShare = new PublicShare(shareSeal, markers);
        this.priming = new Priming(signer);
        priming.prime();
        this.router = new Router()
                .add("GET", "/v1/config", Access.PUBLIC, new ConfigRoute(config.signIn()))
                .add("GET", "/v1/me", Access.SIGNED_IN, new MeRoute(keys, config.maxFileSize(), config.urlTtl()))
                .add("POST", "/v1/uploads", Access.MEMBER, createUpload)
                .add("GET", "/v1/uploads", Access.MEMBER, new ListUploads(keys, seal, bucket))
                .add("POST", "/v1/uploads/{id}/parts/sign", Access.MEMBER, new SignParts(seal, signer))
                .add("GET", "/v1/uploads/{id}/parts", Access.MEMBER, new ListParts(seal, bucket))
                .add("POST", "/v1/uploads/{id}/complete", Access.MEMBER, completeUpload)
                .add("DELETE", "/v1/uploads/{id}", Access.MEMBER, new AbortUpload(seal, bucket))
                .add("POST", "/v1/batch/uploads", Access.MEMBER, new CreateUploadBatch(createUpload, bucket))
                .add("POST", "/v1/batch/completions", Access.MEMBER, new CompleteUploadBatch(completeUpload))
                .add("GET", "/v1/files", Access.MEMBER, new ListFiles(keys, bucket))
                .add("GET", "/v1/files/content", Access.MEMBER, new FileContent(keys, signer, bucket))
                .add("POST", "/v1/downloads", Access.MEMBER, new CreateDownload(keys, signer, bucket))
                .add("DELETE", "/v1/files", Access.MEMBER, new DeleteFile(keys, bucket))
                .add("POST", "/v1/batch/deletions", Access.MEMBER, new DeleteFileBatch(keys, bucket))
                .add("POST", "/v1/moves", Access.MEMBER, new MoveFile(keys, seal, bucket, copying))
                .add("POST", "/v1/moves/{id}/continue", Access.MEMBER, new ContinueMove(seal, bucket, copying))
                .add("DELETE", "/v1/moves/{id}", Access.MEMBER, new AbortMove(seal, bucket))
                .add("POST", "/v1/restores", Access.MEMBER, new RestoreFile(keys, bucket))
                .add("POST", "/v1/shares", Access.MEMBER, new CreateShare(keys, bucket, markers, links, config.maxShareLifetime(), clock))
                .add("GET", "/v1/shares", Access.MEMBER, new ListShares(markers, links))
                .add("DELETE", "/v1/shares/{id}", Access.MEMBER, new RevokeShare(markers))
                .add("GET", "/s/{token}", Access.PUBLIC, new SharePage(publicShare, bucket))
                .add("GET", "/s/{token}/{file}", Access.PUBLIC, new ShareDownload(publicShare, bucket, signer));
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        long started = System.nanoTime();
        String requestId = requestId(event, context);
        String route = "unmatched";
        String failure = null;
        ApiResponse response;
        try {
            ApiRequest request = ApiRequest.from(event, requestId);
            Router.Match match = router.match(request.method(), request.path());
            route = match.name();
            response = match.run(request);
        } catch (ApiError e) {
            // A browser following a mangled share link gets a page, not JSON.
            response = isSharePath(event) && e.code().equals("ROUTE_NOT_FOUND")
                    ? io.skylift.backend.share.HtmlPage.notice(404, "This link does not work",
                            "Check that it was copied whole, or ask the person who sent it for a new one.")
                    : ApiResponse.error(e, requestId);
            failure = e.code();
        } catch (SdkException e) {
            ApiError error = StorageFailures.map(e);
            response = ApiResponse.error(error, requestId);
            failure = error.code() + " " + e.getClass().getSimpleName();
        } catch (RuntimeException e) {
            response = ApiResponse.error(new ApiError(500, "INTERNAL", "Something went wrong on our side; try again. Request id: " + requestId, true), requestId);
            failure = "INTERNAL " + e.getClass().getName() + " at " + firstFrame(e);
        }
        log(context, requestId, route, response.status(), failure, started);
        return response.toEvent();
    }

    private static boolean isSharePath(APIGatewayV2HTTPEvent event) {
        return event != null && event.getRawPath() != null && SHARE_PATH.matcher(event.getRawPath()).lookingAt();
    }

    private static String requestId(APIGatewayV2HTTPEvent event, Context context) {
        if (event != null && event.getRequestContext() != null && event.getRequestContext().getRequestId() != null) {
            return event.getRequestContext().getRequestId();
        }
        if (context != null && context.getAwsRequestId() != null) {
            return context.getAwsRequestId();
        }
        return UUID.randomUUID().toString();
    }

    // Only what an operator needs and nothing a client sent: no path values, query, body or headers.
    private static void log(Context context, String requestId, String route, int status, String failure, long started) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("requestId", requestId);
        line.put("route", route);
        line.put("status", status);
        line.put("ms", (System.nanoTime() - started) / 1_000_000);
        if (failure != null) {
            line.put("failure", failure);
        }
        LambdaLogger logger = context == null ? null : context.getLogger();
        String text = Json.write(line);
        if (logger != null) {
            logger.log(text + "\n");
        } else {
            System.out.println(text);
        }
    }

    private static String firstFrame(Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length == 0 ? "?" : trace[0].toString();
    }
}
