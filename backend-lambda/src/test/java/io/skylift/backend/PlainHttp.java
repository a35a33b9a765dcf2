package io.skylift.backend;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/** What a client does with a signed URL: a plain HTTP request carrying exactly the signed headers. */
final class PlainHttp {

    // The JDK client sets these itself (from the body); all others are sent as signed.
    private static final Set<String> SET_BY_CLIENT = Set.of("content-length", "host");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private PlainHttp() {}

    static HttpResponse<byte[]> put(JsonNode signed, byte[] body) {
        return put(signed.get("url").asText(), signed.get("headers"), body);
    }

    static HttpResponse<byte[]> put(String url, JsonNode headers, byte[] body) {
        var request = HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        copy(headers, request);
        if (headers == null || !headers.has("Content-Type")) {
            // Without a type the JDK client sends none; S3Proxy refuses form-encoded bodies, so be explicit.
            request.header("Content-Type", "application/octet-stream");
        }
        return send(request.build());
    }

    static HttpResponse<byte[]> get(String url, JsonNode headers, Map<String, String> extra) {
        var request = HttpRequest.newBuilder(URI.create(url)).GET();
        copy(headers, request);
        extra.forEach(request::header);
        return send(request.build());
    }

    private static void copy(JsonNode headers, HttpRequest.Builder request) {
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

    private static HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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
