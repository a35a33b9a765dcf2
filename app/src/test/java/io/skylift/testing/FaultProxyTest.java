package io.skylift.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.CRC32C;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultProxyTest {

    static final int MIB = 1 << 20;
    static final MediaType OCTETS = MediaType.get("application/octet-stream");
    static final Predicate<FaultProxy.RequestHead> PUT = head -> head.method().equals("PUT");

    /** What the target server got for one request; recorded before it answers. */
    record Received(String method, String pathAndQuery, long bytes, int crc, boolean complete,
                    InetSocketAddress from, long atNanos) {}

    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    final Random random = new Random(7);
    ExecutorService handlers;
    HttpServer target;
    FaultProxy proxy;
    // Without this OkHttp silently repeats a request whose connection failed, hiding the fault.
    OkHttpClient http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();

    @BeforeEach
    void start() throws IOException {
        target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        target.createContext("/", this::receive);
        // A thread per exchange: a stalled request must not hold up the others.
        handlers = Executors.newVirtualThreadPerTaskExecutor();
        target.setExecutor(handlers);
        target.start();
        proxy = FaultProxy.start(target.getAddress());
    }

    @AfterEach
    void stop() {
        proxy.close();
        target.stop(0);
        handlers.shutdownNow();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** Reads the whole body and answers 200 with the number of bytes read. */
    void receive(HttpExchange exchange) throws IOException {
        long count = 0;
        CRC32C crc = new CRC32C();
        boolean complete = false;
        try (InputStream body = exchange.getRequestBody()) {
            byte[] buffer = new byte[64 * 1024];
            for (int read; (read = body.read(buffer)) >= 0; ) {
                crc.update(buffer, 0, read);
                count += read;
            }
            complete = true;
        } catch (IOException truncated) {
            // The body ended early: recorded below as incomplete.
        } finally {
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), count,
                    (int) crc.getValue(), complete, exchange.getRemoteAddress(), System.nanoTime()));
        }
        if (complete) {
            byte[] answer = Long.toString(count).getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
        }
        exchange.close();
    }

    @Test
    void forwardsSeveralKeepAliveRequestsOnOneConnectionWithTheirBodiesIntact() throws Exception {
        List<byte[]> bodies = List.of(new byte[0], randomBytes(1), randomBytes(5 * MIB));

        for (byte[] body : bodies) {
            try (Response response = http.newCall(put("/bucket/key", body)).execute()) {
                assertThat(response.code()).isEqualTo(200);
                assertThat(response.body().string()).isEqualTo(Integer.toString(body.length));
            }
        }

        List<Received> got = take(3);
        for (int i = 0; i < bodies.size(); i++) {
            assertThat(got.get(i).bytes()).isEqualTo(bodies.get(i).length);
            assertThat(got.get(i).crc()).isEqualTo(crc(bodies.get(i)));
        }
        assertThat(got).extracting(Received::from).as("one proxied connection for all three").containsOnly(got.getFirst().from());
        assertThat(proxy.bodyBytesForwarded()).isEqualTo(5L * MIB + 1);
        assertThat(proxy.requestsSeen()).isEqualTo(3);
        assertThat(proxy.faultsInjected()).isZero();
    }

    @Test
    void failNextAnswersExactlyTheNextMatchingRequestsWithAnS3ErrorAndForwardsTheRest() throws Exception {
        proxy.failNext(2, PUT, 503);

        try (Response response = http.newCall(get("/bucket/key")).execute()) {
            assertThat(response.code()).as("a GET does not match").isEqualTo(200);
        }
        for (int attempt = 1; attempt <= 2; attempt++) {
            try (Response response = http.newCall(put("/bucket/key", randomBytes(1024))).execute()) {
                assertThat(response.code()).isEqualTo(503);
                assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
                assertThat(response.body().string()).contains("<Error><Code>SlowDown</Code>");
            }
        }
        try (Response response = http.newCall(put("/bucket/key", randomBytes(1024))).execute()) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.body().string()).isEqualTo("1024");
        }

        assertThat(take(2)).extracting(Received::method).containsExactly("GET", "PUT");
        assertThat(received).as("the failed PUTs never reached the server").isEmpty();
        assertThat(proxy.requestsSeen()).isEqualTo(4);
        assertThat(proxy.faultsInjected()).isEqualTo(2);
        assertThat(proxy.bodyBytesForwarded()).isEqualTo(1024);
    }

    @Test
    void failNextWith500AnswersAnInternalErrorToALargeUpload() throws Exception {
        proxy.failNext(1, PUT, 500);

        try (Response response = http.newCall(put("/bucket/key", randomBytes(8 * MIB))).execute()) {
            assertThat(response.code()).isEqualTo(500);
            assertThat(response.body().string()).contains("<Code>InternalError</Code>");
        }
        assertThat(proxy.bodyBytesForwarded()).isZero();
        assertThat(received).isEmpty();
    }

    @Test
    void failNextSwallowsTheBodySoAClientThatSendsItAllBeforeReadingGetsTheAnswer() throws Exception {
        proxy.failNext(1, PUT, 503);
        byte[] body = randomBytes(8 * MIB);

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /bucket/key HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            // Far more than socket buffers hold: this fails if the proxy closes without reading.
            out.write(body);
            out.flush();

            assertThat(new String(readUntilClosed(socket.getInputStream()), StandardCharsets.UTF_8))
                    .startsWith("HTTP/1.1 503")
                    .contains("Connection: close")
                    .contains("<Code>SlowDown</Code>");
        }
    }

    @Test
    void faultPlansSeeTheMethodPathQueryAndLowerCasedHeaders() throws Exception {
        proxy.failNext(1, head -> head.method().equals("PUT")
                && head.path().equals("/bucket/big%20file")
                && head.query().equals("partNumber=3&uploadId=u1")
                && "abc".equals(head.headers().get("x-amz-checksum-crc32c")), 500);
        String part2 = "/bucket/big%20file?partNumber=2&uploadId=u1";
        String part3 = "/bucket/big%20file?partNumber=3&uploadId=u1";

        assertThat(status(get("/bucket/big%20file"))).as("no query").isEqualTo(200);
        assertThat(status(put(part2, randomBytes(10), "X-Amz-Checksum-Crc32c", "abc"))).as("other query").isEqualTo(200);
        assertThat(status(put(part3, randomBytes(10), "X-Amz-Checksum-Crc32c", "xyz"))).as("other header").isEqualTo(200);
        assertThat(status(put(part3, randomBytes(10), "X-Amz-Checksum-Crc32c", "abc"))).as("all match").isEqualTo(500);
        assertThat(proxy.faultsInjected()).isEqualTo(1);
    }

    @Test
    void resetNextCutsTheConnectionAfterTheGivenBodyBytes() throws Exception {
        proxy.resetNext(1, PUT, 64 * 1024);

        assertThatThrownBy(() -> http.newCall(put("/bucket/key", randomBytes(MIB))).execute().close())
                .isInstanceOf(IOException.class);

        Received cut = received.poll(10, TimeUnit.SECONDS);
        assertThat(cut).isNotNull();
        assertThat(cut.complete()).isFalse();
        assertThat(cut.bytes()).isEqualTo(64 * 1024);
        assertThat(proxy.bodyBytesForwarded()).isEqualTo(64 * 1024);
        assertThat(proxy.faultsInjected()).isEqualTo(1);

        try (Response next = http.newCall(put("/bucket/key", randomBytes(1))).execute()) {
            assertThat(next.code()).as("the plan was used up").isEqualTo(200);
        }
    }

    @Test
    void resetNextResetsTheClientConnectionRatherThanClosingItGracefully() throws Exception {
        proxy.resetNext(1, PUT, 10);

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("PUT /bucket/key HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n"
                    + "0123456789").getBytes(StandardCharsets.US_ASCII));

            // A graceful close would read as the end of the stream (-1) instead.
            assertThatThrownBy(() -> socket.getInputStream().read())
                    .isInstanceOf(SocketException.class)
                    .hasMessageContaining("reset");
        }
    }

    @Test
    void stallNextMakesTheClientTimeOutThenForwardsOnceTheStallIsOver() throws Exception {
        Duration stall = Duration.ofMillis(2500);
        OkHttpClient impatient = http.newBuilder().readTimeout(Duration.ofSeconds(1)).build();
        proxy.stallNext(1, PUT, stall);

        long before = System.nanoTime();
        assertThatThrownBy(() -> impatient.newCall(put("/bucket/stalled", randomBytes(1024))).execute().close())
                .isInstanceOf(InterruptedIOException.class);

        try (Response later = impatient.newCall(put("/bucket/later", randomBytes(1))).execute()) {
            assertThat(later.code()).isEqualTo(200);
        }
        List<Received> got = take(2);
        assertThat(got).extracting(Received::pathAndQuery).containsExactly("/bucket/later", "/bucket/stalled");
        Received stalled = got.get(1);
        assertThat(stalled.complete()).isTrue();
        assertThat(stalled.atNanos() - before).as("the stalled body arrived after the stall").isGreaterThanOrEqualTo(stall.toNanos());
        assertThat(proxy.faultsInjected()).isEqualTo(1);
    }

    @Test
    void throttleSlowsTheUploadToTheGivenRate() throws Exception {
        proxy.throttle(MIB);

        long start = System.nanoTime();
        try (Response response = http.newCall(put("/bucket/key", randomBytes(2 * MIB))).execute()) {
            assertThat(response.body().string()).isEqualTo(Integer.toString(2 * MIB));
        }
        long elapsed = System.nanoTime() - start;

        // 2 MiB at 1 MiB/s: about 2 s; anything under 1.5 s means the throttle let bytes through early.
        assertThat(Duration.ofNanos(elapsed)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void throttleEachConnectionHoldsEveryConnectionToTheRateOnItsOwn() throws Exception {
        proxy.throttleEachConnection(MIB);
        proxy.countConnections(PUT);

        // Two uploads at once take two connections; each is held to 1 MiB/s by itself.
        byte[] one = randomBytes(2 * MIB);
        byte[] other = randomBytes(2 * MIB);
        var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> timedPut(one), handlers);
        var second = java.util.concurrent.CompletableFuture.supplyAsync(() -> timedPut(other), handlers);

        for (Duration took : List.of(first.get(), second.get())) {
            // 2 MiB at 1 MiB/s: about 2 s; under 1.5 s means the throttle let bytes through early.
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        }
        assertThat(proxy.bodyBytesForwarded()).isEqualTo(4L * MIB);
        assertThat(proxy.peakConnections()).isEqualTo(2);
    }

    Duration timedPut(byte[] body) {
        long start = System.nanoTime();
        try (Response response = http.newCall(put("/bucket/key", body)).execute()) {
            assertThat(response.body().string()).isEqualTo(Integer.toString(body.length));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void refusesConnectionsBeyondTheLimitAndKeepsServingTheOthers() throws Exception {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < FaultProxy.MAX_CONNECTIONS; i++) {
                open.add(new Socket(InetAddress.getLoopbackAddress(), proxy.port()));
            }
            try (Socket extra = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                // The proxy accepts in order, so the extra one is judged with all the others open.
                extra.setSoTimeout(10_000);
                assertThat(readUntilClosed(extra.getInputStream())).as("closed without a byte").isEmpty();
            }
            assertThat(exchangeRaw(open.getFirst())).startsWith("HTTP/1.1 200");
        } finally {
            for (Socket socket : open) {
                socket.close();
            }
        }
    }

    @Test
    void closeEndsOpenConnectionsAndStopsListening() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            socket.setSoTimeout(10_000);
            assertThat(exchangeRaw(socket)).startsWith("HTTP/1.1 200");

            proxy.close();

            // A read timeout here would mean the connection outlived the proxy.
            assertThatCode(() -> readUntilClosed(socket.getInputStream())).doesNotThrowAnyException();
        }
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), proxy.port()).close())
                .isInstanceOf(ConnectException.class);
    }

    Request put(String pathAndQuery, byte[] body) {
        return new Request.Builder().url(proxy.uri() + pathAndQuery).put(RequestBody.create(body, OCTETS)).build();
    }

    Request put(String pathAndQuery, byte[] body, String header, String value) {
        return put(pathAndQuery, body).newBuilder().header(header, value).build();
    }

    int status(Request request) throws IOException {
        try (Response response = http.newCall(request).execute()) {
            return response.code();
        }
    }

    Request get(String pathAndQuery) {
        return new Request.Builder().url(proxy.uri() + pathAndQuery).get().build();
    }

    /** Sends a GET on a raw socket and returns the response's status line. */
    static String exchangeRaw(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write("GET /raw HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        var line = new StringBuilder();
        InputStream in = socket.getInputStream();
        for (int b; (b = in.read()) >= 0 && b != '\r'; ) {
            line.append((char) b);
        }
        return line.toString();
    }

    /** What is left to read until the peer closes; a reset counts as closed. */
    static byte[] readUntilClosed(InputStream in) throws IOException {
        try {
            return in.readAllBytes();
        } catch (SocketException reset) {
            return new byte[0];
        }
    }

    List<Received> take(int count) throws InterruptedException {
        List<Received> got = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Received next = received.poll(10, TimeUnit.SECONDS);
            assertThat(next).as("request %d of %d reached the server", i + 1, count).isNotNull();
            got.add(next);
        }
        return got;
    }

    byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }
}
