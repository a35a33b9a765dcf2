package io.skylift.engine.internal.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.skylift.engine.TransferException;
import io.skylift.engine.internal.api.BackendClient;
import io.skylift.engine.internal.api.Wire;
import io.skylift.engine.internal.retry.Backoff;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's half of a move above 5 GiB, which the sandbox cannot make small enough to run: the
 * service's answers (as docs/api.md gives them) are played by a stand-in, and the calls it hears are
 * what is checked. A copy is continued until done; one that stops advancing is given up and freed.
 */
class ServerMoveTest {

    static final String FROM = "u/me/big.mov";
    static final String TO = "u/me/clips/big.mov";

    HttpServer server;
    final Deque<String> answers = new ArrayDeque<>();
    final List<String> heard = new CopyOnWriteArrayList<>();
    BackendClient api;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            heard.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            String answer = exchange.getRequestMethod().equals("DELETE") ? "204 " : answers.removeFirst();
            int status = Integer.parseInt(answer.substring(0, 3));
            byte[] body = answer.substring(4).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        api = new BackendClient(new OkHttpClient(), URI.create("http://127.0.0.1:" + server.getAddress().getPort()), () -> "t",
                new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 2));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    static String copying(int done) {
        return "202 {\"state\":\"copying\",\"id\":\"sealed-1\",\"from\":\"" + FROM + "\",\"to\":\"" + TO + "\",\"size\":6442450944,"
                + "\"partsDone\":" + done + ",\"partsTotal\":24}";
    }

    @Test
    void aLargeMoveIsContinuedUntilTheServiceSaysDone() {
        answers.addAll(List.of(copying(0), copying(8), copying(16), copying(24),
                "200 {\"state\":\"done\",\"from\":\"" + FROM + "\",\"to\":\"" + TO + "\",\"size\":6442450944,\"etag\":\"\\\"e\\\"\",\"crc32c\":\"AAAAAA==\"}"));

        Wire.MoveState done = ServerMove.run(api, FROM, TO);

        assertThat(done.state()).isEqualTo("done");
        assertThat(done.size()).isEqualTo(6_442_450_944L);
        assertThat(heard).containsExactly("POST /v1/moves", "POST /v1/moves/sealed-1/continue", "POST /v1/moves/sealed-1/continue",
                "POST /v1/moves/sealed-1/continue", "POST /v1/moves/sealed-1/continue");
    }

    @Test
    void aCopyThatStopsAdvancingIsGivenUpAndItsPartsFreed() {
        answers.add(copying(0));
        answers.add(copying(3));
        for (int i = 0; i < ServerMove.MAX_STALLED; i++) {
            answers.add(copying(3));
        }

        assertThatThrownBy(() -> ServerMove.run(api, FROM, TO)).isInstanceOfSatisfying(TransferException.class, e -> {
            assertThat(e.isRetryable()).isTrue();
            assertThat(e.getMessage()).contains(FROM, "is where it was");
        });
        assertThat(heard).hasSize(2 + ServerMove.MAX_STALLED + 1).last().isEqualTo("DELETE /v1/moves/sealed-1");
    }

    @Test
    void aSourceChangedMidwayIsTheServicesRefusalAndTheCopyIsFreed() {
        answers.add(copying(0));
        answers.add("409 {\"error\":{\"code\":\"SOURCE_CHANGED\",\"message\":\"big.mov changed or went away while it was being moved.\","
                + "\"retryable\":false,\"requestId\":\"r\"}}");

        assertThatThrownBy(() -> ServerMove.run(api, FROM, TO)).hasMessageContaining("SOURCE_CHANGED");
        assertThat(heard).last().isEqualTo("DELETE /v1/moves/sealed-1");
    }
}
