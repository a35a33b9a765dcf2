package io.skylift.backend;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.skylift.backend.signing.SealedUploadId;
import io.skylift.backend.signing.UploadSeal;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Run in a fresh JVM with only the deployment artifact (and this class) on the class path: the time
 * from JVM start to the first answered request (clients built, one URL signed), then the time of a
 * warm call signing 100 part URLs. Prints the figures as one line; ColdPathIT runs it.
 */
public final class ColdPathProbe {

    private ColdPathProbe() {}

    public static void main(String[] args) {
        String secret = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
        Config config = Config.fromEnvironment(Map.of("SKYLIFT_BUCKET", "skylift-bench", "AWS_REGION", "eu-west-1",
                "SKYLIFT_SEAL_SECRET", secret));
        Handler handler = new Handler(config, Clients.create(config, StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIDEXAMPLE", "not-a-secret"))), Clock.systemUTC());
        String id = new UploadSeal(config.sealSecret()).seal(new SealedUploadId("bench-user", "u/bench-user/file.bin", "upload-1",
                100L * 16 * 1024 * 1024, 16 * 1024 * 1024, 100, SealedUploadId.Scope.FULL));
        var context = new CapturingContext();

        int status = handler.handleRequest(sign(id, 1), context).getStatusCode();
        long firstMillis = ManagementFactory.getRuntimeMXBean().getUptime();

        APIGatewayV2HTTPEvent hundred = sign(id, 100);
        long[] warm = new long[200];
        for (int i = 0; i < warm.length; i++) {
            long started = System.nanoTime();
            if (handler.handleRequest(hundred, context).getStatusCode() != 200) {
                throw new IllegalStateException("signing failed");
            }
            warm[i] = System.nanoTime() - started;
        }
        long[] measured = Arrays.copyOfRange(warm, 100, 200);
        Arrays.sort(measured);
        System.out.printf("cold path: first request answered %d ms after JVM start (status %d); warm 100-URL sign: median %.1f ms, p99 %.1f ms%n",
                firstMillis, status, measured[50] / 1e6, measured[98] / 1e6);
    }

    private static APIGatewayV2HTTPEvent sign(String id, int parts) {
        String body = IntStream.rangeClosed(1, parts).mapToObj(n -> "{\"partNumber\":%d,\"crc32c\":\"AAAAAA==\"}".formatted(n))
                .collect(Collectors.joining(",", "{\"parts\":[", "]}"));
        return new BackendUnderTest.EventBuilder("POST", "/v1/uploads/" + id + "/parts/sign")
                .claims(Map.of("sub", "bench-user", "cognito:groups", "[photographers]")).body(body).build();
    }
}
