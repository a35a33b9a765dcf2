package io.skylift.backend.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.skylift.backend.http.ApiError;
import io.skylift.backend.http.Json;
import io.skylift.backend.identity.Identity;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens upload ids with HMAC-SHA256, so the backend needs no database: everything it must
 * know about an upload travels with the id, and any change to it breaks the seal.
 *
 * <p>Form: {@code base64url(payload) "." base64url(mac)}, the MAC over a domain tag and the payload.
 * Thread-safe.
 */
public final class UploadSeal {

    public static final int MIN_SECRET_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";
    private static final String DOMAIN = "skylift-upload-id/1.";
    private static final int VERSION = 1;
    // A real id is a few hundred bytes plus the key; anything far longer is not ours.
    private static final int MAX_TOKEN_CHARS = 8192;

    private final SecretKeySpec key;

    public UploadSeal(byte[] secret) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("The seal secret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    }

    public String seal(SealedUploadId id) {
        ArrayNode payload = Json.mapper().createArrayNode()
                .add(VERSION).add(id.subject()).add(id.key()).add(id.s3UploadId())
                .add(id.size()).add(id.partSize()).add(id.partCount()).add(id.scope().name());
        String body = base64(Json.write(payload).getBytes(StandardCharsets.UTF_8));
        return body + "." + base64(mac(body));
    }

    /**
     * Checks the seal and that the id was issued to {@code caller}; no S3 call happens before this.
     *
     * @throws ApiError 403 when the id is forged, altered, malformed or someone else's
     */
    public SealedUploadId open(String token, Identity caller) {
        SealedUploadId id = verify(token);
        if (!id.subject().equals(caller.subject())) {
            throw ApiError.forbidden("UPLOAD_NOT_YOURS", "This upload belongs to another account.");
        }
        return id;
    }

    private SealedUploadId verify(String token) {
        int dot = token == null ? -1 : token.lastIndexOf('.');
        if (dot <= 0 || token.length() > MAX_TOKEN_CHARS) {
            throw invalid();
        }
        String body = token.substring(0, dot);
        // Compare the canonical text, not decoded bytes: a lenient decoder would let several
        // spellings of one id open, and an id is used as a name by clients.
        byte[] expected = base64(mac(body)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, token.substring(dot + 1).getBytes(StandardCharsets.UTF_8))) {
            throw invalid();
        }
        try {
            JsonNode a = Json.mapper().readTree(Base64.getUrlDecoder().decode(body));
            if (!a.isArray() || a.size() != 8 || a.get(0).asInt() != VERSION) {
                throw invalid();
            }
            return new SealedUploadId(a.get(1).asText(), a.get(2).asText(), a.get(3).isNull() ? null : a.get(3).asText(),
                    a.get(4).asLong(), a.get(5).asLong(), a.get(6).asInt(), SealedUploadId.Scope.valueOf(a.get(7).asText()));
        } catch (java.io.IOException | IllegalArgumentException e) {
            // Only reachable with a valid MAC over a bad payload: a bug or a leaked secret.
            throw invalid();
        }
    }

    private byte[] mac(String body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(DOMAIN.getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static ApiError invalid() {
        return ApiError.forbidden("UPLOAD_ID_INVALID", "This upload id is not valid: it was altered or not issued by this service.");
    }
}
