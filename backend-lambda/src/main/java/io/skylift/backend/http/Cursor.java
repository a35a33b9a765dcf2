package io.skylift.backend.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** An opaque page cursor: base64url of a resume point, so clients never parse or build one. */
public final class Cursor {

    private static final int MAX_CHARS = 4096;

    private Cursor() {}

    public static String encode(String resumePoint) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(resumePoint.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws ApiError 400 when the value is not a cursor this API issued */
    public static String decode(String cursor) {
        try {
            if (cursor.length() <= MAX_CHARS) {
                return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw invalid();
    }

    public static ApiError invalid() {
        return ApiError.badRequest("CURSOR_INVALID", "cursor must be a nextCursor from a previous page of the same listing.");
    }
}
