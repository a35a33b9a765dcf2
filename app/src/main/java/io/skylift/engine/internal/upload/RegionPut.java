package io.skylift.engine.internal.upload;

import io.skylift.engine.internal.api.Wire;
import io.skylift.engine.internal.http.FileRegionBody;
import io.skylift.engine.internal.http.S3Answer;
import io.skylift.engine.internal.retry.PartFailure;
import java.io.EOFException;
import java.io.IOException;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One PUT of a file region to a presigned URL, sent exactly once (the body is one-shot, so OkHttp
 * never repeats it): whether to send again is the retry policy's call, made by the job. Stateless.
 *
 * <pre>{@code
 * RegionPut.Outcome outcome = RegionPut.send(http, url, body, true, run::track, run::untrack);
 * }</pre>
 */
final class RegionPut {

    /** What became of one send. */
    sealed interface Outcome permits Stored, Failed, FileShrank {}

    /** Storage has the bytes; {@code crc32c} is the checksum its answer names, null when it names none. */
    record Stored(String crc32c) implements Outcome {}

    /** Refused or broken; {@code failure} is for the retry policy. */
    record Failed(PartFailure failure) implements Outcome {}

    /** The file ended before the region did: it changed under the upload. */
    record FileShrank() implements Outcome {}

    private RegionPut() {}

    /**
     * @param expectContinue ask storage to accept the head before the body goes (parts: a refusal
     *                       then costs no body)
     * @param track          told of the call before it runs, so a pause can cancel it
     */
    static Outcome send(OkHttpClient http, Wire.SignedUrl url, FileRegionBody body, boolean expectContinue,
                        Consumer<Call> track, Consumer<Call> untrack) {
        Request.Builder request = new Request.Builder().url(url.url()).put(body);
        url.headers().forEach((name, value) -> {
            // OkHttp sets these itself, from the body.
            if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Content-Type")
                    && !name.equalsIgnoreCase("Host")) {
                request.header(name, value);
            }
        });
        if (expectContinue) {
            request.header("Expect", "100-continue");
        }
        Call call = http.newCall(request.build());
        track.accept(call);
        try (Response response = call.execute()) {
            if (response.isSuccessful()) {
                return new Stored(response.header("x-amz-checksum-crc32c"));
            }
            return new Failed(S3Answer.failure(response.code(), response.peekBody(S3Answer.MAX_ERROR_BYTES).bytes()));
        } catch (EOFException e) {
            return new FileShrank();
        } catch (IOException e) {
            return new Failed(PartFailure.network(e));
        } finally {
            untrack.accept(call);
        }
    }
}
