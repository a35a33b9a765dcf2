package io.skylift.backend.route;

import io.skylift.backend.http.ApiError;
import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.http.Router;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.keys.KeyRules;
import io.skylift.backend.share.ShareLinks;
import io.skylift.backend.share.ShareView;
import io.skylift.backend.signing.SealedShare;
import io.skylift.backend.storage.Bucket;
import io.skylift.backend.storage.ShareMarkers;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * {@code POST /v1/shares}: a link to a file or a folder the caller may read, for a while. The link's
 * token carries the grant under its seal; the share's marker in the bucket keeps it revocable.
 * Sharing a folder shares what it holds whenever the page is opened, files added later included.
 * Thread-safe.
 *
 * <pre>{@code
 * POST /v1/shares {"prefix":"u/alice/2026-05-wedding/","expiresIn":604800}
 * 201 {"id":"…","url":"https://…/s/…","name":"2026-05-wedding/","prefix":"u/alice/2026-05-wedding/","folder":true,
 *      "createdAt":"…","expiresAt":"…"}
 * }</pre>
 */
public final class CreateShare implements Router.Action {

    public record Request(String key, String prefix, Long expiresIn) {}

    public static final Duration DEFAULT_EXPIRY = Duration.ofDays(7);
    public static final Duration MIN_EXPIRY = Duration.ofMinutes(1);
    // 128 bits: the share's name, and part of what makes every token's payload unique.
    private static final int ID_BYTES = 16;

    private final KeyRules keys;
    private final Bucket bucket;
    private final ShareMarkers markers;
    private final ShareLinks links;
    private final Duration maxExpiry;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public CreateShare(KeyRules keys, Bucket bucket, ShareMarkers markers, ShareLinks links, Duration maxExpiry, Clock clock) {
        this.keys = keys;
        this.bucket = bucket;
        this.markers = markers;
        this.links = links;
        this.maxExpiry = maxExpiry;
        this.clock = clock;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Identity caller) {
        Request body = request.body(Request.class);
        Duration expiry = expiry(body.expiresIn());
        String target = target(body, caller);
        if (markers.countLive(caller.subject()) >= ShareMarkers.MAX_LIVE) {
            throw ApiError.conflict("SHARE_LIMIT", "You have " + ShareMarkers.MAX_LIVE + " live share links, the most one person may"
                    + " hold; revoke some (`skylift shares`, `skylift unshare ID`) or let them expire.");
        }
        // Whole seconds, as the token and the marker keep them: the answer says what a listing will.
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        var share = new SealedShare(newId(random), caller.subject(), target,
                now, now.plus(expiry));
        markers.add(share, links.keyId());
        return ApiResponse.json(201, ShareView.of(share, links.url(request, share)));
    }

    private Duration expiry(Long seconds) {
        Duration fallback = DEFAULT_EXPIRY.compareTo(maxExpiry) <= 0 ? DEFAULT_EXPIRY : maxExpiry;
        if (seconds == null) {
            return fallback;
        }
        if (seconds < MIN_EXPIRY.toSeconds() || seconds > maxExpiry.toSeconds()) {
            throw ApiError.badRequest("EXPIRES_INVALID", "expiresIn must be from " + MIN_EXPIRY.toSeconds() + " seconds to "
                    + maxExpiry.toSeconds() + " (" + maxExpiry.toDays() + " days), the longest this service keeps a link; was "
                    + seconds + ".");
        }
        return Duration.ofSeconds(seconds);
    }

    // Checked as a download or a listing would check it, then found in storage: a link to nothing helps no one.
    private String target(Request body, Identity caller) {
        boolean hasKey = body.key() != null && !body.key().isEmpty();
        boolean hasPrefix = body.prefix() != null && !body.prefix().isEmpty();
        if (hasKey == hasPrefix) {
            throw invalid("Give exactly one of key (a file) and prefix (a folder, ending in '/').");
        }
        if (hasKey) {
            if (body.key().endsWith("/")) {
                throw invalid("key names a folder (it ends in '/'); share a folder with prefix.");
            }
            String key = keys.readableKey(caller, body.key());
            var head = bucket.head(key).orElseThrow(() -> CreateDownload.notFound(key));
            // A link whose one file cannot download would only show its visitor an error.
            CreateDownload.requireDownloadable(key, head);
            return key;
        }
        if (!body.prefix().endsWith("/")) {
            throw invalid("prefix must name a folder, ending in '/'; share one file with key.");
        }
        String prefix = keys.listablePrefix(caller, body.prefix());
        if (bucket.objectsPage(prefix, null, null, 1).contents().isEmpty()) {
            throw ApiError.notFound("FOLDER_NOT_FOUND", "There are no files under '" + prefix + "' to share.");
        }
        return prefix;
    }

    private static ApiError invalid(String message) {
        return ApiError.badRequest("SHARE_INVALID", message);
    }

    /**
     * A share's id: {@code ID_BYTES} random bytes, base64url. Never one beginning with '-', which a
     * command line would read as an option ({@code skylift unshare ID}); drawing again costs one
     * id in 64 nothing but the draw.
     */
    static String newId(java.util.Random random) {
        byte[] id = new byte[ID_BYTES];
        do {
            random.nextBytes(id);
        } while ((id[0] & 0xFF) >>> 2 == 62);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }
}
