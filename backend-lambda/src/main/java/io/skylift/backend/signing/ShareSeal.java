package io.skylift.backend.signing;

import com.fasterxml.jackson.databind.JsonNode;
import io.skylift.backend.http.ApiError;
import io.skylift.backend.http.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals share tokens: the secret part of a share link. Unlike an upload id, which only its owner
 * holds, a token is handed to anyone, so it is encrypted as well as authenticated (AES-256-GCM): it
 * tells its holder nothing of the owner or the bucket's keys, and any change to it fails to open.
 *
 * <p>Form: {@code keyId "." base64url(iv || ciphertext || tag)}. The keys are derived from the seal
 * secret that seals upload ids, each for this use only, so one secret serves both and rotates both.
 * The key id names the secret (as an upload id's does). The IV is derived from the payload (a
 * synthetic IV, as in SIV modes): sealing the same share twice gives the same token, so a listing can
 * give back the very link it made; payloads never repeat, as each carries a random 128-bit share id.
 *
 * <p>Rotation: tokens sealed with the previous secret still open; those of the secret before it do
 * not, so links live at most until the second rotation after they were made.
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * var seal = new ShareSeal(current, previous, Clock.systemUTC());
 * String token = seal.seal(new SealedShare(id, subject, "u/sub/shoot/", issued, expires));
 * SealedShare share = seal.open(token); // 404 when not ours or altered, 410 once expired
 * }</pre>
 */
public final class ShareSeal {

    private static final int VERSION = 1;
    private static final String DOMAIN = "skylift-share/1.";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_ID_BYTES = 6;
    // A token of a 1,024-byte key is about 1,500 characters; far longer is not ours.
    private static final int MAX_TOKEN_CHARS = 4096;

    private record Keys(String id, SecretKeySpec encryption, SecretKeySpec iv) {
        static Keys of(byte[] secret) {
            if (secret.length < UploadSeal.MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("A seal secret must be at least " + UploadSeal.MIN_SECRET_BYTES + " bytes");
            }
            var root = new SecretKeySpec(secret.clone(), "HmacSHA256");
            byte[] id = Arrays.copyOf(hmac(root, "skylift-share-key-id"), KEY_ID_BYTES);
            return new Keys(base64(id), new SecretKeySpec(hmac(root, "skylift-share-encryption"), "AES"),
                    new SecretKeySpec(hmac(root, "skylift-share-iv"), "HmacSHA256"));
        }
    }

    private final Keys current;
    private final Keys previous;
    private final Clock clock;

    /** @param previous the secret before {@code secret}, whose tokens still open; null when there is none */
    public ShareSeal(byte[] secret, byte[] previous, Clock clock) {
        this.current = Keys.of(secret);
        this.previous = previous == null ? null : Keys.of(previous);
        this.clock = clock;
    }

    /** The id of the secret new tokens are sealed with, as {@link #seal(SealedShare, String)} takes it. */
    public String currentKeyId() {
        return current.id();
    }

    public String seal(SealedShare share) {
        return seal(share, current.id());
    }

    /**
     * Seals {@code share} with the secret named {@code keyId}, so that a share listed after a rotation gets
     * back the very token it was handed out with.
     *
     * @return the token, or null when that secret is no longer held: no token of it opens any more
     */
    public String seal(SealedShare share, String keyId) {
        Keys keys = current.id().equals(keyId) ? current : previous != null && previous.id().equals(keyId) ? previous : null;
        if (keys == null) {
            return null;
        }
        byte[] payload = Json.write(Json.mapper().createArrayNode().add(VERSION)
                        .add(share.issued().getEpochSecond()).add(share.expires().getEpochSecond())
                        .add(share.id()).add(share.subject()).add(share.target()))
                .getBytes(StandardCharsets.UTF_8);
        byte[] iv = Arrays.copyOf(hmac(keys.iv(), payload), IV_BYTES);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, keys, iv, payload, 0, payload.length);
        return keys.id() + "." + base64(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
    }

    /**
     * Opens a token. No storage call happens before this, so a made-up token costs nothing but this.
     *
     * @throws ApiError 404 {@code SHARE_NOT_FOUND} when the token is altered, made up, or sealed with a
     *                  secret no longer held; 410 {@code SHARE_EXPIRED} once it has expired
     */
    public SealedShare open(String token) {
        if (token == null || token.length() > MAX_TOKEN_CHARS) {
            throw notFound();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            throw notFound();
        }
        String keyId = token.substring(0, dot);
        Keys keys = current.id().equals(keyId) ? current : previous != null && previous.id().equals(keyId) ? previous : null;
        byte[] body;
        try {
            String encoded = token.substring(dot + 1);
            body = Base64.getUrlDecoder().decode(encoded);
            // One spelling per token: a lenient decoder would let several strings open as one link.
            if (keys == null || body.length <= IV_BYTES || !base64(body).equals(encoded)) {
                throw notFound();
            }
        } catch (IllegalArgumentException e) {
            throw notFound();
        }
        byte[] payload = crypt(Cipher.DECRYPT_MODE, keys, Arrays.copyOf(body, IV_BYTES), body, IV_BYTES, body.length - IV_BYTES);
        SealedShare share = parse(payload);
        if (!clock.instant().isBefore(share.expires())) {
            throw new ApiError(410, "SHARE_EXPIRED", "This link expired on " + share.expires() + ".", false);
        }
        return share;
    }

    private static SealedShare parse(byte[] payload) {
        try {
            JsonNode a = Json.mapper().readTree(payload);
            if (a.isArray() && a.size() == 6 && a.get(0).asInt() == VERSION) {
                return new SealedShare(a.get(3).asText(), a.get(4).asText(), a.get(5).asText(),
                        Instant.ofEpochSecond(a.get(1).asLong()), Instant.ofEpochSecond(a.get(2).asLong()));
            }
        } catch (java.io.IOException | RuntimeException e) {
            // reported below: only reachable with a valid tag, so a bug where it was sealed
        }
        throw notFound();
    }

    private static byte[] crypt(int mode, Keys keys, byte[] iv, byte[] input, int offset, int length) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, keys.encryption(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD((DOMAIN + keys.id()).getBytes(StandardCharsets.US_ASCII));
            return cipher.doFinal(input, offset, length);
        } catch (javax.crypto.AEADBadTagException e) {
            throw notFound();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    private static byte[] hmac(SecretKeySpec key, String label) {
        return hmac(key, label.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] hmac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The answer to any token that does not open: the same whatever was wrong with it. */
    public static ApiError notFound() {
        return ApiError.notFound("SHARE_NOT_FOUND", "This link does not work: it may be incomplete, or not a Skylift share link.");
    }
}
