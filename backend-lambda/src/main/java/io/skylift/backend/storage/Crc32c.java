package io.skylift.backend.storage;

import io.skylift.backend.http.ApiError;
import java.util.Base64;

/** The wire form of a CRC32C: base64 of its four big-endian bytes, as S3 writes it. */
public final class Crc32c {

    private Crc32c() {}

    /** @throws ApiError 400 unless {@code value} is canonical base64 of exactly four bytes */
    public static String require(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw ApiError.badRequest("CHECKSUM_INVALID", field + " is required: the CRC32C, base64 of 4 bytes (e.g. \"yZRlqg==\").");
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(value);
            if (bytes.length == 4 && Base64.getEncoder().encodeToString(bytes).equals(value)) {
                return value;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw ApiError.badRequest("CHECKSUM_INVALID", field + " must be a CRC32C as base64 of 4 bytes (e.g. \"yZRlqg==\").");
    }

    /** A stored object's checksum as a whole-object CRC32C, or null when S3 holds none or a composite one. */
    public static String wholeObject(String stored) {
        return stored == null || stored.contains("-") ? null : stored;
    }
}
