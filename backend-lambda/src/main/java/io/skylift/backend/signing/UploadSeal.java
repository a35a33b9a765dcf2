package io.skylift.backend.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.skylift.backend.http.ApiError;
import io.skylift.backend.http.Json;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.keys.KeyRules;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens upload ids with HMAC-SHA256, so the backend needs no database: everything it must
 * know about an upload travels with the id, and any change to it breaks the seal.
 *
 * <p>Form: {@code keyId "." base64url(payload) "." base64url(mac)}. The key id names the secret that
 * sealed the id (derived from the secret, so every container agrees on it without configuration, and
 * it tells nothing about the secret). The payload holds the issue and expiry times (epoch seconds)
 * and the {@link SealedUploadId} fields; the MAC covers a domain tag, the key id and the payload.
 *
 * <p>Move ids ({@link SealedMoveId}) take the same form, secret and lifetime, with a MAC over a domain tag
 * of their own, so neither kind of id opens as the other.
 *
 * <p>Rotation: the seal holds the current secret, which seals and opens, and optionally the previous
 * one, which only opens, so ids issued before a rotation keep working until they expire.
 *
 * <p>Ids sealed before key ids and expiry existed ({@code base64url(payload) "." base64url(mac)})
 * still open under either secret. They carry no issue time, so no expiry can be read from them: they
 * open for as long as the secret that sealed them is held, that is until the second rotation after
 * this form was introduced. The bucket's rule for unfinished uploads has removed their parts long
 * before that in any deployment that rotates.
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * var seal = new UploadSeal(current, previous, Duration.ofDays(30), Clock.systemUTC());
 * String id = seal.seal(new SealedUploadId(subject, key, s3UploadId, size, partSize, parts, Scope.FULL));
 * SealedUploadId opened = seal.open(id, caller); // 403, or 410 once expired
 * }</pre>
 */
public final class UploadSeal {

    public static final int MIN_SECRET_BYTES = 32;
    /** Far longer than any upload should take (the bucket removes unfinished parts after a few days). */
    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(30);

    private static final String ALGORITHM = "HmacSHA256";
    private static final String DOMAIN = "skylift-upload-id/2.";
    private static final String LEGACY_DOMAIN = "skylift-upload-id/1.";
    private static final String MOVE_DOMAIN = "skylift-move-id/1.";
    private static final int MOVE_VERSION = 1;
    private static final String KEY_ID_DOMAIN = "skylift-upload-id-key";
    private static final int VERSION = 2;
    private static final int LEGACY_VERSION = 1;
    // 48 bits: enough that two secrets never share an id by chance, short in a URL.
    private static final int KEY_ID_BYTES = 6;
    // A real id is a few hundred bytes plus the key; anything far longer is not ours.
    private static final int MAX_TOKEN_CHARS = 8192;

    /** One secret, and the id that names it in what it seals. */
    private record SealKey(String id, SecretKeySpec spec) {
        static SealKey of(byte[] secret) {
            if (secret.length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("A seal secret must be at least " + MIN_SECRET_BYTES + " bytes");
            }
            var spec = new SecretKeySpec(secret.clone(), ALGORITHM);
            byte[] fingerprint = mac(spec, KEY_ID_DOMAIN, "");
            return new SealKey(base64(Arrays.copyOf(fingerprint, KEY_ID_BYTES)), spec);
        }
    }

    private final SealKey current;
    private final SealKey previous;
    private final Duration lifetime;
    private final Clock clock;

    /** One secret, no previous one, ids that open for {@link #DEFAULT_LIFETIME}. */
    public UploadSeal(byte[] secret) {
        this(secret, null, DEFAULT_LIFETIME, Clock.systemUTC());
    }

    /**
     * @param secret   seals new ids and opens them
     * @param previous the secret before {@code secret}, whose ids still open; null when there is none
     * @param lifetime how long an id opens after it was sealed
     */
    public UploadSeal(byte[] secret, byte[] previous, Duration lifetime, Clock clock) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("An upload id's lifetime must be positive; was " + lifetime);
        }
        this.current = SealKey.of(secret);
        this.previous = previous == null ? null : SealKey.of(previous);
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public String seal(SealedUploadId id) {
        return seal(DOMAIN, VERSION, Json.mapper().createArrayNode()
                .add(id.subject()).add(id.key()).add(id.s3UploadId())
                .add(id.size()).add(id.partSize()).add(id.partCount()).add(id.scope().name()));
    }

    /** Seals a move id: the same form, secret and lifetime as an upload id, under a domain of its own. */
    public String seal(SealedMoveId id) {
        return seal(MOVE_DOMAIN, MOVE_VERSION, Json.mapper().createArrayNode()
                .add(id.subject()).add(id.from()).add(id.to()).add(id.s3UploadId())
                .add(id.size()).add(id.partSize()).add(id.etag()).add(id.crc32c()));
    }

    private String seal(String domain, int version, ArrayNode fields) {
        long issued = clock.instant().getEpochSecond();
        ArrayNode payload = Json.mapper().createArrayNode().add(version).add(issued).add(issued + lifetime.toSeconds());
        payload.addAll(fields);
        String signed = current.id() + "." + base64(Json.write(payload).getBytes(StandardCharsets.UTF_8));
        return signed + "." + base64(mac(current.spec(), domain, signed));
    }

    /**
     * Checks a move id's seal, its expiry, and that it was issued to {@code caller} for two files in the
     * caller's own folder; no S3 call happens before this. An upload id never opens as a move id, nor the
     * reverse: their MACs cover different domains.
     *
     * @throws ApiError 403 {@code MOVE_ID_INVALID} or {@code MOVE_NOT_YOURS}; 410 {@code MOVE_ID_EXPIRED}
     */
    public SealedMoveId openMove(String token, Identity caller) {
        String[] parts = parts(token, MOVE_INVALID);
        if (parts.length != 3) {
            throw MOVE_INVALID.get();
        }
        SealKey key = keyNamed(parts[0], MOVE_INVALID);
        if (!matches(key, MOVE_DOMAIN, parts[0] + "." + parts[1], parts[2])) {
            throw MOVE_INVALID.get();
        }
        JsonNode a = payload(parts[1], MOVE_VERSION, 11, MOVE_INVALID);
        requireUnexpired(a, "MOVE_ID_EXPIRED", "This move id", "Start the move again.");
        SealedMoveId id;
        try {
            id = new SealedMoveId(a.get(3).asText(), a.get(4).asText(), a.get(5).asText(), a.get(6).asText(),
                    a.get(7).asLong(), a.get(8).asLong(), a.get(9).asText(), a.get(10).isNull() ? null : a.get(10).asText());
        } catch (IllegalArgumentException e) {
            throw MOVE_INVALID.get();
        }
        String own = KeyRules.userPrefix(caller.subject());
        if (!id.subject().equals(caller.subject()) || !id.from().startsWith(own) || !id.to().startsWith(own)) {
            throw ApiError.forbidden("MOVE_NOT_YOURS", "This move belongs to another account.");
        }
        return id;
    }

    /**
     * Checks the seal, the expiry, and that the id was issued to {@code caller} for a file in the
     * caller's own folder; no S3 call happens before this.
     *
     * @throws ApiError 403 when the id is forged, altered, malformed, sealed with a secret no longer
     *                  held, or someone else's; 410 when it has expired
     */
    public SealedUploadId open(String token, Identity caller) {
        SealedUploadId id = verify(token);
        if (!id.subject().equals(caller.subject())) {
            throw ApiError.forbidden("UPLOAD_NOT_YOURS", "This upload belongs to another account.");
        }
        // Only reachable with a valid MAC: a bug where it was sealed, or a leaked secret. Either way the
        // id must not act on a file outside the caller's folder.
        if (!id.key().startsWith(KeyRules.userPrefix(caller.subject()))) {
            throw ApiError.forbidden("UPLOAD_NOT_YOURS", "This upload names a file outside your folder.");
        }
        return id;
    }

    private static String[] parts(String token, java.util.function.Supplier<ApiError> invalid) {
        if (token == null || token.length() > MAX_TOKEN_CHARS) {
            throw invalid.get();
        }
        String[] parts = token.split("\\.", -1);
        for (String part : parts) {
            if (part.isEmpty()) {
                throw invalid.get();
            }
        }
        return parts;
    }

    private void requireUnexpired(JsonNode a, String code, String what, String remedy) {
        Instant issued = Instant.ofEpochSecond(a.get(1).asLong());
        Instant expires = Instant.ofEpochSecond(a.get(2).asLong());
        if (!clock.instant().isBefore(expires)) {
            throw new ApiError(410, code, what + " expired on " + expires + ", "
                    + Duration.between(issued, expires).toDays() + " days after it was issued. " + remedy, false);
        }
    }

    private SealedUploadId verify(String token) {
        String[] parts = parts(token, UploadSeal::invalid);
        return switch (parts.length) {
            case 3 -> openSealed(parts[0], parts[1], parts[2]);
            case 2 -> openLegacy(parts[0], parts[1]);
            default -> throw invalid();
        };
    }

    private SealedUploadId openSealed(String keyId, String body, String mac) {
        SealKey key = keyNamed(keyId, UPLOAD_KEY_UNKNOWN);
        String signed = keyId + "." + body;
        if (!matches(key, DOMAIN, signed, mac)) {
            throw invalid();
        }
        JsonNode a = payload(body, VERSION, 10, UploadSeal::invalid);
        requireUnexpired(a, "UPLOAD_ID_EXPIRED", "This upload id", "Start the upload again.");
        return fields(a, 3);
    }

    private SealedUploadId openLegacy(String body, String mac) {
        if (!matches(current, LEGACY_DOMAIN, body, mac) && (previous == null || !matches(previous, LEGACY_DOMAIN, body, mac))) {
            throw invalid();
        }
        return fields(payload(body, LEGACY_VERSION, 8, UploadSeal::invalid), 1);
    }

    private SealKey keyNamed(String keyId, java.util.function.Supplier<ApiError> unknown) {
        if (current.id().equals(keyId)) {
            return current;
        }
        if (previous != null && previous.id().equals(keyId)) {
            return previous;
        }
        // Nothing tells a retired secret from a made-up key id; both mean the id cannot be checked.
        throw unknown.get();
    }

    private static final java.util.function.Supplier<ApiError> UPLOAD_KEY_UNKNOWN = () -> ApiError.forbidden("UPLOAD_ID_INVALID",
            "This upload id is not valid: it was altered, not issued by this service, or sealed with a key the service no"
                    + " longer holds. Start the upload again.");

    private static final java.util.function.Supplier<ApiError> MOVE_INVALID = () -> ApiError.forbidden("MOVE_ID_INVALID",
            "This move id is not valid: it was altered, not issued by this service, or sealed with a key the service no"
                    + " longer holds. Start the move again.");

    private static boolean matches(SealKey key, String domain, String signed, String mac) {
        // Compare the canonical text, not decoded bytes: a lenient decoder would let several
        // spellings of one id open, and an id is used as a name by clients.
        byte[] expected = base64(mac(key.spec(), domain, signed)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, mac.getBytes(StandardCharsets.UTF_8));
    }

    // Only reached with a valid MAC: a payload that does not parse is a bug or a leaked secret.
    private static JsonNode payload(String body, int version, int fields, java.util.function.Supplier<ApiError> invalid) {
        try {
            JsonNode a = Json.mapper().readTree(Base64.getUrlDecoder().decode(body));
            if (a.isArray() && a.size() == fields && a.get(0).asInt() == version) {
                return a;
            }
        } catch (java.io.IOException | IllegalArgumentException e) {
            // reported below
        }
        throw invalid.get();
    }

    private static SealedUploadId fields(JsonNode a, int from) {
        try {
            return new SealedUploadId(a.get(from).asText(), a.get(from + 1).asText(),
                    a.get(from + 2).isNull() ? null : a.get(from + 2).asText(),
                    a.get(from + 3).asLong(), a.get(from + 4).asLong(), a.get(from + 5).asInt(),
                    SealedUploadId.Scope.valueOf(a.get(from + 6).asText()));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static byte[] mac(SecretKeySpec key, String domain, String signed) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(domain.getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
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
