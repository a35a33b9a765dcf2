package io.skylift.cli;

import io.skylift.engine.DirectTarget;
import io.skylift.engine.EngineSettings;
import io.skylift.engine.Transfer;
import io.skylift.engine.TransferEngine;
import io.skylift.files.UserFolders;
import io.skylift.signin.CredentialTransport;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options every transfer command shares: where the API is, who is signing in, how hard to push. */
final class ConnectionOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--api", paramLabel = "URL", defaultValue = "${env:SKYLIFT_API}",
            description = "The Skylift API URL (default: $SKYLIFT_API).")
    String api;

    @Option(names = "--token", paramLabel = "T", defaultValue = "${env:SKYLIFT_TOKEN}",
            description = "The sign-in token (default: $SKYLIFT_TOKEN, else the sign-in kept by `skylift login`). Prefer the variable: arguments are visible to other users.")
    String token;

    @Option(names = "--bucket", paramLabel = "NAME", defaultValue = "${env:SKYLIFT_BUCKET}",
            description = "Direct mode: transfer straight to this S3 bucket with your own AWS credentials, without the"
                    + " Skylift API (default: $SKYLIFT_BUCKET).")
    String bucket;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "With --bucket: the AWS profile to sign with, SSO included (default: the AWS SDK's chain:"
                    + " environment, $AWS_PROFILE or the default profile, container or instance role).")
    String profile;

    @Option(names = "--region", paramLabel = "REGION", description = "With --bucket: the bucket's region (default: the profile's, or $AWS_REGION).")
    String region;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "With --bucket: an S3-compatible server instead of AWS, addressed path-style (e.g. the sandbox's S3 endpoint).")
    String endpoint;

    @Option(names = "--concurrency", paramLabel = "N",
            description = "The most connections carrying file bytes at once, 1-64 (default " + EngineSettings.DEFAULT_CONCURRENCY
                    + "; Skylift starts with 8 and adds more while they speed the transfer up). With --bucket: exactly this many"
                    + " (default " + EngineSettings.DIRECT_CONCURRENCY + ").")
    Integer concurrency;

    @Option(names = "--part-size", paramLabel = "SIZE", converter = ByteSize.class, defaultValue = "0",
            description = "Part size, e.g. 64MiB (default: the service's plan, at least 16 MiB).")
    long partSize;

    @Option(names = "--json", description = "Print one JSON line per finished transfer (for scripts).")
    boolean json;

    TransferEngine engine() {
        if (concurrency != null && (concurrency < 1 || concurrency > 64)) {
            throw new ParameterException(spec.commandLine(), "--concurrency must be from 1 to 64.");
        }
        if (partSize != 0 && (partSize < 5L << 20 || partSize > 5L << 30)) {
            throw new ParameterException(spec.commandLine(), "--part-size must be from 5MiB to 5GiB.");
        }
        if (bucket != null && !bucket.isBlank()) {
            return TransferEngine.start(EngineSettings.direct(directTarget(), UserFolders.data().resolve("transfers"))
                    .withConcurrency(concurrency != null ? concurrency : EngineSettings.DIRECT_CONCURRENCY).withPartSize(partSize));
        }
        if (profile != null || region != null || endpoint != null) {
            throw new ParameterException(spec.commandLine(), "--profile, --region and --endpoint are for direct mode: add --bucket NAME.");
        }
        URI uri = apiUri(spec, api);
        java.util.function.Supplier<String> bearer;
        if (token != null && !token.isBlank()) {
            String fixed = token.trim();
            bearer = () -> fixed;
        } else {
            try {
                bearer = SignInSupport.stored(uri).orElseThrow(() -> new ParameterException(spec.commandLine(),
                        "Not signed in: run `skylift login`, or set SKYLIFT_TOKEN."));
            } catch (java.io.IOException e) {
                throw new ParameterException(spec.commandLine(), "Cannot use the kept sign-in: " + e.getMessage());
            }
        }
        return TransferEngine.start(EngineSettings.of(uri, bearer, UserFolders.data().resolve("transfers"))
                .withConcurrency(concurrency != null ? concurrency : EngineSettings.DEFAULT_CONCURRENCY).withPartSize(partSize)
                .withIoTimeout(Duration.ofSeconds(60)));
    }

    /**
     * Signs in, starts what {@code start} asks of the engine and runs it to the end, printing as
     * {@link TransferRunner} does; returns the exit code.
     */
    int transfer(Function<TransferEngine, List<Transfer>> start) {
        try (TransferEngine engine = engine()) {
            engine.account();
            return new TransferRunner(engine, spec.commandLine().getOut(), spec.commandLine().getErr(), json).run(() -> start.apply(engine));
        }
    }

    private DirectTarget directTarget() {
        URI server = null;
        if (endpoint != null && !endpoint.isBlank()) {
            try {
                server = URI.create(endpoint.trim());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "'" + endpoint + "' is not an http(s) URL.");
            }
        }
        try {
            return new DirectTarget(bucket.trim(), profile, region, server);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * The API address from the option or environment, else the one an installer preset: https, or
     * plain http to this computer only (the sandbox).
     */
    static URI apiUri(CommandSpec spec, String api) {
        String value = api;
        if ((value == null || value.isBlank()) && System.getProperty("skylift.api") != null) {
            // An organisation's installer presets its API address.
            value = System.getProperty("skylift.api");
        }
        if (value == null || value.isBlank()) {
            throw new ParameterException(spec.commandLine(), "No API URL: pass --api URL or set SKYLIFT_API (`skylift sandbox` prints one).");
        }
        URI uri;
        try {
            uri = URI.create(value.trim());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "'" + value + "' is not an http(s) URL.");
        }
        if (!CredentialTransport.isWebAddress(uri)) {
            throw new ParameterException(spec.commandLine(), "'" + value + "' is not an http(s) URL.");
        }
        if (!CredentialTransport.allows(uri)) {
            // Every call carries the bearer token: over plain http anyone on the way can read it and replay it.
            throw new ParameterException(spec.commandLine(), "The API address '" + uri + "' (--api or SKYLIFT_API) would send your sign-in"
                    + " unencrypted: use " + CredentialTransport.withHttps(uri) + " instead; " + CredentialTransport.LOOPBACK_ONLY + ".");
        }
        return uri;
    }
}
