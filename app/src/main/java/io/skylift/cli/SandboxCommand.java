package io.skylift.cli;

import io.skylift.json.Json;
import io.skylift.sandbox.Sandbox;
import io.skylift.sandbox.SandboxPresence;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code skylift sandbox}: the local cloud, until Ctrl-C. */
@Command(name = "sandbox",
        mixinStandardHelpOptions = true,
        description = {"Start the local sandbox: a real S3 API server and the Skylift backend on 127.0.0.1.",
                "Prints the API URL, two tokens (a photographer and a staff member) and the S3 endpoint with its credentials,",
                "then runs until Ctrl-C."})
final class SandboxCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", defaultValue = "" + Sandbox.DEFAULT_PORT,
            description = "Port of the API (default ${DEFAULT-VALUE}); S3 listens on the next one. 0 picks free ports.")
    int port;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Keep files, tokens and unfinished uploads in DIR across restarts (default: a temporary folder).")
    Path data;

    @Option(names = "--json", description = "Print one JSON line with the API URL, tokens and S3 details once ready.")
    boolean json;

    @Option(names = "--issuer", paramLabel = "URL",
            description = "Also accept sign-in tokens of this OIDC issuer, checked as API Gateway's JWT authorizer does.")
    String issuer;

    @Option(names = "--client-id", paramLabel = "ID", defaultValue = "skylift-desktop",
            description = "With --issuer: the app's client id, and the audience tokens must carry (default ${DEFAULT-VALUE}).")
    String clientId;

    @Option(names = "--url-ttl", paramLabel = "SECONDS", defaultValue = "300",
            description = "Lifetime of presigned URLs, 1 to 300 seconds (default ${DEFAULT-VALUE}).")
    int urlTtl;

    @Override
    public Integer call() throws Exception {
        if (!SandboxPresence.inThisBuild()) {
            throw new ParameterException(spec.commandLine(), SandboxPresence.MISSING);
        }
        if (port < 0 || port > 65_534) {
            throw new ParameterException(spec.commandLine(), "--port must be from 0 to 65534");
        }
        if (urlTtl < 1 || urlTtl > 300) {
            throw new ParameterException(spec.commandLine(), "--url-ttl must be from 1 to 300 seconds");
        }
        Sandbox.Settings settings = new Sandbox.Settings(port, Optional.ofNullable(data), Duration.ofSeconds(urlTtl));
        if (issuer != null) {
            settings = settings.withSignIn(new Sandbox.SignIn(issuer, clientId, clientId));
        }
        Sandbox sandbox = Sandbox.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("sandbox-stop").unstarted(() -> {
            sandbox.close();
            stopped.countDown();
        }));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.OUTPUT.writeValueAsString(sandbox.info()));
        } else {
            describe(out, sandbox);
        }
        out.flush();
        stopped.await();
        return ExitCodes.OK;
    }

    private static void describe(PrintWriter out, Sandbox sandbox) {
        Sandbox.Info info = sandbox.info();
        out.println("Skylift sandbox is running. Press Ctrl-C to stop.");
        out.println();
        out.printf("  API             %s%n", info.api());
        out.printf("  Photographer    %s%n", info.photographerToken());
        out.printf("  Staff           %s%n", info.staffToken());
        out.printf("  S3 endpoint     %s  (bucket %s, path-style, region %s)%n", info.s3Endpoint(), info.bucket(), Sandbox.REGION);
        out.printf("  S3 access key   %s%n", info.s3AccessKey());
        out.printf("  S3 secret key   %s%n", info.s3SecretKey());
        out.printf("  Data            %s%n", sandbox.isTemporary()
                ? "a temporary folder, removed when the sandbox stops (keep data with --data DIR)"
                : sandbox.dataDir().toAbsolutePath() + " (kept)");
        out.println();
        out.println("In another terminal, as the photographer:");
        out.printf("  export SKYLIFT_API=%s SKYLIFT_TOKEN=%s%n", info.api(), info.photographerToken());
    }
}
