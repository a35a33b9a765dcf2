package io.skylift.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.engine.EngineSettings;
import io.skylift.engine.IfExists;
import io.skylift.engine.Transfer;
import io.skylift.engine.TransferEngine;
import io.skylift.engine.TransferResult;
import io.skylift.engine.TransferState;
import io.skylift.sandbox.Sandbox;
import io.skylift.testing.FaultProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The soak: hundreds of files of mixed sizes, some in parts, up and down through a proxy that
 * breaks a fifth of storage requests (resets, stalls, 500s, 503s), then through one that swallows
 * {@code 100 Continue}. Every byte is checked, nothing may be stored twice or left unfinished.
 * Minutes long, so not in every CI run: {@code bench/soak.sh} runs it and prints its figures.
 */
@EnabledIfSystemProperty(named = "skylift.soak", matches = "true")
class SoakIT {

    static final long PART = 5L * 1024 * 1024;
    static final int FILES = Integer.getInteger("skylift.soak.files", 500);
    static final double FAULT_RATE = Double.parseDouble(System.getProperty("skylift.soak.faults", "0.2"));

    static final Predicate<FaultProxy.RequestHead> PRESIGNED = h -> h.path().contains("/u/") && h.query().contains("X-Amz-Signature");

    @TempDir
    Path dir;

    @Test
    void everyFileArrivesExactlyOnceThroughAFaultyNetworkAndThroughAProxyThatSwallows100Continue() throws Exception {
        Path source = Files.createDirectories(dir.resolve("shoot"));
        long bytes = makeFiles(source, FILES, 25, 0x50AC);
        // The person's network: the app's presigned requests. The backend's own calls to S3 go the same
        // way here but not in AWS, where a lost answer to its CreateMultipartUpload would leave an
        // upload nobody knows of until the bucket's lifecycle rule removes it.
        Predicate<FaultProxy.RequestHead> storage = PRESIGNED;

        Figures faulty = run("faults at " + Math.round(FAULT_RATE * 100) + " %", source, bytes, proxy ->
                proxy.randomFaults(FAULT_RATE, storage, 42, Duration.ofSeconds(3)));
        // Files in parts only: a small file's PUT never asks, and once one is stored no part would either.
        Path few = Files.createDirectories(dir.resolve("few"));
        long fewBytes = makeFiles(few, Math.max(8, FILES / 40), 1, 0xC0117);
        Figures swallowing = run("100 Continue swallowed", few, fewBytes, FaultProxy::swallowContinue);

        System.out.println();
        System.out.println("soak: " + faulty);
        System.out.println("soak: " + swallowing);
    }

    record Figures(String what, int files, long bytes, int faults, int resumeRounds, int requests, int asked, double upSeconds,
                   double downSeconds) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%s: %d files, %.0f MiB up and down; %d faults injected in %d presigned"
                    + " requests (%d asked for 100 Continue); %d resume rounds; up %.1f s, down %.1f s; every byte checked, none stored"
                    + " twice, no unfinished upload", what, files, bytes / 1048576.0, faults, requests, asked, resumeRounds, upSeconds, downSeconds);
        }
    }

    private Figures run(String what, Path source, long bytes, java.util.function.Consumer<FaultProxy> faults) throws Exception {
        Path here = Files.createDirectories(dir.resolve(what.replaceAll("[^a-z0-9]+", "-")));
        FaultProxy[] front = new FaultProxy[1];
        try (Sandbox sandbox = Sandbox.start(new Sandbox.Settings(0, Optional.of(here.resolve("sandbox")), Duration.ofSeconds(300))
                .withS3Front(endpoint -> {
                    try {
                        front[0] = FaultProxy.start(new InetSocketAddress("127.0.0.1", endpoint.getPort()));
                        return front[0].uri();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
             FaultProxy proxy = front[0];
             S3Client s3 = S3Client.builder().region(Region.US_EAST_1).endpointOverride(sandbox.info().s3Endpoint())
                     .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                             sandbox.info().s3AccessKey(), sandbox.info().s3SecretKey()))).build()) {
            faults.accept(proxy);
            String token = sandbox.info().photographerToken();
            Path journal = here.resolve("journal");
            int[] rounds = {0};
            long upStart = System.nanoTime();
            try (TransferEngine engine = engine(sandbox, journal, token)) {
                finish(engine, engine.upload(source, "soak"), rounds);
            }
            double up = (System.nanoTime() - upStart) / 1e9;

            List<S3Object> stored = s3.listObjectsV2Paginator(b -> b.bucket(Sandbox.BUCKET).prefix("u/sandbox-photographer/soak/"))
                    .contents().stream().toList();
            List<Path> files;
            try (Stream<Path> walk = Files.list(source)) {
                files = walk.sorted().toList();
            }
            String folder = "u/sandbox-photographer/soak/" + source.getFileName() + "/";
            assertThat(stored.stream().map(S3Object::key).toList()).as("each file stored once, nothing else")
                    .containsExactlyInAnyOrderElementsOf(files.stream().map(f -> folder + f.getFileName()).toList());
            assertThat(s3.listMultipartUploads(b -> b.bucket(Sandbox.BUCKET)).uploads()).as("unfinished uploads").isEmpty();

            Path out = Files.createDirectories(here.resolve("out"));
            long downStart = System.nanoTime();
            try (TransferEngine engine = engine(sandbox, journal, token)) {
                List<Transfer> downloads = new ArrayList<>();
                for (S3Object object : stored) {
                    downloads.add(engine.download(object.key(), out, IfExists.FAIL));
                }
                finish(engine, downloads, rounds);
            }
            double down = (System.nanoTime() - downStart) / 1e9;
            Set<String> names = new HashSet<>();
            for (Path file : files) {
                names.add(file.getFileName().toString());
                assertThat(Files.mismatch(file, out.resolve(file.getFileName()))).as(file.getFileName().toString()).isEqualTo(-1);
            }
            try (Stream<Path> arrived = Files.list(out)) {
                assertThat(arrived.map(p -> p.getFileName().toString())).as("no copies, no partial files").containsExactlyInAnyOrderElementsOf(names);
            }
            return new Figures(what, files.size(), bytes, proxy.faultsInjected(), rounds[0], proxy.requestsSeen(PRESIGNED),
                    proxy.requestsSeen(h -> h.headers().containsKey("expect")), up, down);
        }
    }

    // Waits for every transfer; those that paused (out of retries) are resumed, as a person would, until all are done.
    private static void finish(TransferEngine engine, List<Transfer> transfers, int[] rounds) {
        List<Transfer> waiting = transfers;
        for (int round = 0; !waiting.isEmpty(); round++) {
            assertThat(round).as("resume rounds").isLessThan(20);
            List<TransferResult> results = waiting.stream().map(t -> t.stopped().join()).toList();
            results.stream().filter(r -> r.state() == TransferState.FAILED).findFirst()
                    .ifPresent(r -> { throw new AssertionError(r.file() + " failed: " + r.reason()); });
            if (results.stream().anyMatch(r -> r.state() == TransferState.PAUSED)) {
                rounds[0]++;
                waiting = engine.resumeAll();
            } else {
                waiting = List.of();
            }
        }
    }

    private static TransferEngine engine(Sandbox sandbox, Path journal, String token) {
        return TransferEngine.start(EngineSettings.of(URI.create(sandbox.info().api().toString()), () -> token, journal)
                .withConcurrency(8).withPartSize(PART).withIoTimeout(Duration.ofSeconds(2)));
    }

    // Photos of 16 KiB to 1 MiB, and one in {@code bigEvery} of 6 to 16 MiB (in parts).
    private static long makeFiles(Path folder, int count, int bigEvery, long seed) throws IOException {
        Random random = new Random(seed);
        long total = 0;
        for (int i = 0; i < count; i++) {
            boolean big = i % bigEvery == bigEvery / 3;
            int size = big ? (6 << 20) + random.nextInt(10 << 20) : (16 << 10) + random.nextInt(1 << 20);
            byte[] data = new byte[size];
            random.nextBytes(data);
            Files.write(folder.resolve(String.format("IMG_%04d.%s", i, big ? "MOV" : "JPG")), data);
            total += size;
        }
        return total;
    }
}
