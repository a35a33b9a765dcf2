package io.skylift.backend;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** What a client does with a signed URL: a plain HTTP request carrying exactly the signed headers. */
final class PlainHttp {

    // OkHttp sets these itself (from the body); all other signed headers are sent as given.
    private static final Set<String> SET_BY_CLIENT = Set.of("content-length", "content-type", "host");
    private static final OkHttpClient HTTP = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();

    private PlainHttp() {}

    /** Status and body of an answer. */
    record Answer(int statusCode, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    static Answer put(JsonNode signed, byte[] body) {
        return put(signed.get("url").asText(), signed.get("headers"), body);
    }

    static Answer put(String url, JsonNode headers, byte[] body) {
        String type = headers != null && headers.has("Content-Type") ? headers.get("Content-Type").asText() : "application/octet-stream";
        var request = new Request.Builder().url(url).put(RequestBody.create(body, MediaType.get(type)));
        copy(headers, request);
        return send(request.build());
    }

    static Answer get(String url, JsonNode headers, Map<String, String> extra) {
        var request = new Request.Builder().url(url).get();
        copy(headers, request);
        extra.forEach(request::header);
        return send(request.build());
    }

    private static void copy(JsonNode headers, Request.Builder request) {
        if (headers == null) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            var header = it.next();
            if (!SET_BY_CLIENT.contains(header.getKey().toLowerCase(java.util.Locale.ROOT))) {
                request.header(header.getKey(), header.getValue().asText());
            }
        }
    }

    private static Answer send(Request request) {
        try (Response response = HTTP.newCall(request).execute()) {
            return new Answer(response.code(), response.body().bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CRC32C as S3 writes it: base64 of the four big-endian bytes. */
    static String crc32c(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    static String crc32c(byte[] data) {
        return crc32c(data, 0, data.length);
    }
}
