package io.skylift.backend.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The wire's JSON mapping: records in and out, unknown fields ignored so clients can add fields. */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private Json() {}

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * Parses a request body, which is always a JSON object; a malformed body is the client's error
     * (400), named without echoing it. Valid JSON of another shape is refused here too: {@code null}
     * would otherwise reach a route as a null request and fail there as a retryable 500.
     */
    public static <T> T read(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw ApiError.badRequest("BODY_MISSING", "This request needs a JSON body.");
        }
        try (JsonParser parser = MAPPER.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw ApiError.badRequest("BODY_INVALID", "The request body must be a JSON object ({...}).");
            }
            return MAPPER.readValue(parser, type);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            String where = location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
            throw ApiError.badRequest("BODY_INVALID", "The request body is not the JSON object this route expects" + where + ".");
        } catch (IOException e) {
            throw new UncheckedIOException("Reading a request body held in memory", e);
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
