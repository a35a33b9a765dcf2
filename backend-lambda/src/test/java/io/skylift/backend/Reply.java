package io.skylift.backend;

import com.fasterxml.jackson.databind.JsonNode;
import io.skylift.backend.http.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A handler response as a client sees it. */
record Reply(int status, Map<String, String> headers, String body) {

    JsonNode json() {
        try {
            return Json.mapper().readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError("Response is not JSON: " + body, e);
        }
    }

    String errorCode() {
        return json().path("error").path("code").asText();
    }

    int bytes() {
        return body == null ? 0 : body.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public String toString() {
        return status + " " + body;
    }
}
