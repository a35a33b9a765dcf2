package io.skylift.engine.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/**
 * The race between a probe's body and its wait for {@code 100 Continue}: whichever moves first wins,
 * and the other never acts. The wait's expiry is called as Okio's watchdog would call it.
 */
class ContinueWaitTest {

    private static final OkHttpClient HTTP = new OkHttpClient();

    private final ContinueWait wait = new ContinueWait();
    private final Call call = HTTP.newCall(new Request.Builder().url("http://127.0.0.1:9/b/k").build());

    ContinueWaitTest() {
        wait.watch(call);
    }

    @Test
    void aWaitThatRunsOutCancelsTheCallAndTheBodyThenNeverGoes() {
        RequestBody gated = wait.gate(RequestBody.create(new byte[] {1, 2, 3}));

        wait.timedOut();

        assertThat(call.isCanceled()).isTrue();
        assertThat(wait.gaveUp()).isTrue();
        Buffer sent = new Buffer();
        assertThatThrownBy(() -> gated.writeTo(sent)).isInstanceOf(IOException.class).hasMessageContaining("100 Continue");
        assertThat(sent.size()).isZero();
    }

    @Test
    void aBodyThatBeganIsNeverCutOffByTheWait() throws IOException {
        RequestBody gated = wait.gate(RequestBody.create(new byte[] {1, 2, 3}));
        Buffer sent = new Buffer();
        gated.writeTo(sent);

        wait.timedOut();

        assertThat(call.isCanceled()).isFalse();
        assertThat(wait.gaveUp()).isFalse();
        assertThat(sent.size()).isEqualTo(3);
    }

    @Test
    void anAnswerBeforeTheBodyEndsTheWaitSoReadingARefusalIsNotCutShort() {
        // Storage refused at once (no 100 Continue, no body asked for); its answer is still being read.
        wait.end();

        wait.timedOut();

        assertThat(call.isCanceled()).isFalse();
        assertThat(wait.gaveUp()).isFalse();
    }

    @Test
    void theClockDoesNotRunWhileTheConnectionIsStillBeingOpened() throws InterruptedException {
        // On a long link a connect and a TLS handshake alone can take longer than the wait; only the
        // network interceptor, which OkHttp runs once the connection is open, starts it.
        Thread.sleep(ExpectContinue.PROBE_WAIT.toMillis() + 500);

        assertThat(call.isCanceled()).isFalse();
        assertThat(wait.gaveUp()).isFalse();
    }
}
