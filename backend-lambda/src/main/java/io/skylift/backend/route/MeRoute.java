package io.skylift.backend.route;

import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.http.Router;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.identity.Role;
import io.skylift.backend.keys.KeyRules;
import io.skylift.backend.storage.PartPlan;
import io.skylift.backend.storage.S3Limits;
import java.time.Duration;
import java.util.List;

/** {@code GET /v1/me}: who the caller is, what they may do and the limits they work within. */
public final class MeRoute implements Router.Action {

    public record Response(User user, List<String> roles, String home, List<String> readablePrefixes, Limits limits) {}

    public record User(String id, String name) {}

    /** @param maxBatchItems items one call of a batch route ({@code /v1/batch/...}) may hold */
    public record Limits(long maxFileSize, long urlTtlSeconds, int maxSignBatch, long minPartSize, long maxPartSize,
                         int maxParts, long defaultPartSize, int maxBatchItems) {}

    private final KeyRules keys;
    private final Limits limits;

    public MeRoute(KeyRules keys, long maxFileSize, Duration urlTtl) {
        this.keys = keys;
        this.limits = new Limits(maxFileSize, urlTtl.toSeconds(), SignParts.MAX_BATCH, S3Limits.MIN_PART_SIZE,
                S3Limits.MAX_PART_SIZE, S3Limits.MAX_PARTS, PartPlan.DEFAULT_MIN_PART_SIZE, Batch.MAX_ITEMS);
    }

    @Override
    public ApiResponse handle(ApiRequest request, Identity caller) {
        List<String> roles = caller.roles().stream().map(r -> r.name().toLowerCase(java.util.Locale.ROOT)).sorted().toList();
        List<String> readable = !caller.isMember() ? List.of()
                : caller.has(Role.STAFF) ? List.of(keys.ownPrefix(caller), keys.archivePrefix())
                : List.of(keys.ownPrefix(caller));
        return ApiResponse.ok(new Response(new User(caller.subject(), caller.name()), roles,
                caller.isMember() ? keys.ownPrefix(caller) : null, readable, limits));
    }
}
