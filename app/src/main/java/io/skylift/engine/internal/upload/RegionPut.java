package io.skylift.engine.internal.upload;

import io.skylift.engine.internal.http.ContinueWait;
import io.skylift.engine.internal.http.ExpectContinue;
import io.skylift.engine.internal.http.FileRegionBody;
import io.skylift.engine.internal.http.S3Answer;
import io.skylift.engine.internal.retry.PartFailure;
import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One PUT of a file region to a presigned URL, sent exactly once (the body is one-shot, so OkHttp
 * never repeats it): whether to send again is the retry policy's call, made by the job. Stateless.
 *
 * <pre>{@code
 * RegionPut.Outcome outcome = RegionPut.send(http, HttpUrl.get(signed.url()), signed.headers(), body, Ask.PROBE,
 *         run::track, run::untrack);
 * }</pre>
 */
final class RegionPut {

    /** What became of one send. */
    sealed interface Outcome permits Stored, Failed, FileShrank, Unanswered {}

    /** Storage has the bytes; {@code crc32c} is the checksum its answer names, null when it names none. */
    record Stored(String crc32c) implements Outcome {}

    /** Refused or broken; {@code failure} is for the retry policy. */
    record Failed(PartFailure failure) implements Outcome {}

    /** The file ended before the region did: it changed under the upload. */
    record FileShrank() implements Outcome {}

    /** A probe heard no {@code 100 Continue} within {@link ExpectContinue#PROBE_WAIT} and was given up, its body unsent. */
    record Unanswered() implements Outcome {}

    private RegionPut() {}

    /**
     * @param url   the presigned URL, parsed once by the caller (a long query string, parsed per PUT)
     * @param ask   whether to ask storage to accept the head before the body goes (parts: a refusal
     *              then costs no body), and for a probe, to wait for that at most {@link ExpectContinue#PROBE_WAIT}
     * @param track told of the call before it runs, so a pause can cancel it
     */
    static Outcome send(OkHttpClient http, HttpUrl url, Map<String, String> headers, FileRegionBody body, ExpectContinue.Ask ask,
                        Consumer<Call> track, Consumer<Call> untrack) {
        ContinueWait wait = ask == ExpectContinue.Ask.PROBE ? new ContinueWait() : null;
        Request.Builder request = new Request.Builder().url(url).put(wait == null ? body : wait.gate(body));
        headers.forEach((name, value) -> {
            // OkHttp sets these itself, from the body.
            if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Content-Type")
                    && !name.equalsIgnoreCase("Host")) {
                request.header(name, value);
            }
        });
        if (ask != ExpectContinue.Ask.NO) {
            request.header("Expect", "100-continue");
        }
        if (wait != null) {
            request.tag(ContinueWait.class, wait);
        }
        Call call = http.newCall(request.build());
        if (wait != null) {
            wait.watch(call);
        }
        track.accept(call);
        try (Response response = call.execute()) {
            if (wait != null) {
                // Answered: reading a refusal's body is no longer the wait's to cut short.
                wait.end();
            }
            if (response.isSuccessful()) {
                return new Stored(response.header("x-amz-checksum-crc32c"));
            }
            return new Failed(S3Answer.failure(response.code(), response.peekBody(S3Answer.MAX_ERROR_BYTES).bytes()));
        } catch (EOFException e) {
            return new FileShrank();
        } catch (IOException e) {
            if (wait != null && wait.gaveUp()) {
                return new Unanswered();
            }
            return new Failed(PartFailure.network(e));
        } finally {
            if (wait != null) {
                wait.end();
            }
            untrack.accept(call);
        }
    }
}
