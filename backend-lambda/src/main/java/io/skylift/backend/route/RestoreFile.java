package io.skylift.backend.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.skylift.backend.http.ApiError;
import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.http.Router;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.identity.Role;
import io.skylift.backend.keys.KeyRules;
import io.skylift.backend.storage.Archive;
import io.skylift.backend.storage.Bucket;
import io.skylift.backend.storage.StorageFailures;
import java.time.Instant;
import java.util.Locale;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tier;

/**
 * {@code POST /v1/restores}: asks S3 to restore an archived file of the archive prefix, for staff, so that it
 * downloads for {@code days} days. Everything is checked before any storage call: the key, the caller's role,
 * the days and the tier. Thread-safe.
 *
 * <pre>{@code
 * POST /v1/restores {"key":"archives/case-4411.zip","days":7,"tier":"Standard"}
 * 202 {"key":"archives/case-4411.zip","state":"restoring"}
 * }</pre>
 */
public final class RestoreFile implements Router.Action {

    public record Request(String key, Integer days, String tier) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Response(String key, String state, Instant until) {}

    public static final int DEFAULT_DAYS = 7;
    public static final int MAX_DAYS = 365;

    private final KeyRules keys;
    private final Bucket bucket;

    public RestoreFile(KeyRules keys, Bucket bucket) {
        this.keys = keys;
        this.bucket = bucket;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Identity caller) {
        Request body = request.body(Request.class);
        String key = restorableKey(caller, body.key());
        int days = body.days() == null ? DEFAULT_DAYS : body.days();
        if (days < 1 || days > MAX_DAYS) {
            throw ApiError.badRequest("DAYS_INVALID", "days must be from 1 to " + MAX_DAYS + " (how long the restored copy stays); was " + days + ".");
        }
        Tier tier = tier(body.tier());
        HeadObjectResponse head = bucket.head(key).orElseThrow(() -> CreateDownload.notFound(key));
        Archive archive = Archive.of(head);
        if (archive == null) {
            throw notArchived(key, head.storageClassAsString());
        }
        if (archive == Archive.RESTORING) {
            return restoring(key);
        }
        boolean deepArchive = "DEEP_ARCHIVE".equals(head.storageClassAsString()) || "DEEP_ARCHIVE_ACCESS".equals(head.archiveStatusAsString());
        if (tier == Tier.EXPEDITED && deepArchive) {
            throw expeditedRefused(key);
        }
        // Intelligent-Tiering moves a restored object back to its frequent tier for good: S3 refuses days for it.
        Integer restoreDays = "INTELLIGENT_TIERING".equals(head.storageClassAsString()) ? null : days;
        int status;
        try {
            status = bucket.restore(key, restoreDays, tier);
        } catch (S3Exception e) {
            return refused(key, e);
        }
        if (status == 202) {
            return restoring(key);
        }
        // Restored already: S3 set the copy's expiry anew from now; read it back.
        Archive now = bucket.head(key).map(Archive::of).orElse(null);
        Instant until = now != null && now.downloads() ? now.until() : null;
        return ApiResponse.ok(new Response(key, "restored", until));
    }

    /** @throws ApiError 400 for a malformed key or a folder; 403 unless staff ask for a key of the archive prefix */
    private String restorableKey(Identity caller, String key) {
        if (key != null && key.endsWith("/")) {
            throw ApiError.badRequest("KEY_INVALID", "key names a folder (it ends in '/'); list the folder and restore its files.");
        }
        String checked = keys.readableKey(caller, key);
        if (!caller.has(Role.STAFF) || !checked.startsWith(keys.archivePrefix())) {
            throw ApiError.forbidden("KEY_FORBIDDEN", "Only staff may restore files, and only in " + keys.archivePrefix() + ".");
        }
        return checked;
    }

    private static Tier tier(String name) {
        if (name == null || name.isEmpty()) {
            return Tier.STANDARD;
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "bulk" -> Tier.BULK;
            case "standard" -> Tier.STANDARD;
            case "expedited" -> Tier.EXPEDITED;
            default -> throw ApiError.badRequest("TIER_INVALID", "tier must be Bulk, Standard or Expedited; was \"" + name + "\".");
        };
    }

    private ApiResponse refused(String key, S3Exception e) {
        String code = StorageFailures.code(e);
        if (code.equals("RestoreAlreadyInProgress")) {
            return restoring(key);
        }
        if (code.equals("InvalidObjectState")) {
            throw notArchived(key, "a class that needs no restore");
        }
        if (code.equals("GlacierExpeditedRetrievalNotAvailable")) {
            throw new ApiError(503, "EXPEDITED_UNAVAILABLE", "S3 has no capacity for Expedited restores just now; try again"
                    + " shortly, or restore with the Standard tier.", true);
        }
        String message = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorMessage()).toLowerCase(Locale.ROOT);
        if (e.statusCode() == 400 && (message.contains("tier") || message.contains("expedited"))) {
            throw expeditedRefused(key);
        }
        throw e;
    }

    private static ApiResponse restoring(String key) {
        return ApiResponse.json(202, new Response(key, "restoring", null));
    }

    private static ApiError notArchived(String key, String storageClass) {
        return ApiError.conflict("NOT_ARCHIVED", KeyRules.fileNameOf(key) + " is not archived (" + (storageClass == null ? "STANDARD" : storageClass)
                + "); it downloads without a restore.");
    }

    private static ApiError expeditedRefused(String key) {
        return ApiError.badRequest("TIER_INVALID", KeyRules.fileNameOf(key) + " is in DEEP_ARCHIVE, which has no Expedited"
                + " restores; use Standard (within 12 hours) or Bulk (within 48 hours).");
    }
}
