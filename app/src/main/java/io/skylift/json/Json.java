package io.skylift.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Skylift's JSON mappers, one per purpose, each configured once here. Configured Jackson mappers
 * are thread-safe; share these rather than building new ones.
 *
 * <pre>{@code
 * Wire.Me me = Json.WIRE.readValue(body, Wire.Me.class);
 * }</pre>
 */
public final class Json {

    /**
     * Messages exchanged with servers: the Skylift API and the sign-in provider. Fields we do not
     * know are ignored, because the contract only ever adds them; times are ISO-8601 strings.
     */
    public static final ObjectMapper WIRE = tolerant();

    /**
     * What Skylift keeps on this computer: the journal, settings, kept sign-ins, the sandbox's
     * secrets. Tolerant of fields a newer release wrote, so going back a version loses nothing.
     */
    public static final ObjectMapper STORED = tolerant();

    /** What the command line prints for scripts ({@code --json}): one object a line, ISO-8601 times. */
    public static final ObjectMapper OUTPUT = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private Json() {
    }

    private static ObjectMapper tolerant() {
        return JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
    }
}
