package io.skylift.backend.storage;

import com.fasterxml.jackson.databind.JsonNode;
import io.skylift.backend.http.Json;
import io.skylift.backend.signing.SealedShare;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bucket's record of live shares, without a database: one small object per share under
 * {@code shares/<subject>/}, named by its expiry and id. A share link works only while its marker is
 * there, so revoking is deleting the marker, and takes effect on the next request. Expired markers are
 * removed by the bucket's lifecycle rule; names start with the expiry (ten digits of epoch seconds),
 * so listing from "now" skips them without reading them, and lists the soonest to expire first.
 *
 * <p>Every share's fields are in its marker, so a listing can seal the very token it handed out.
 * Thread-safe.
 */
public final class ShareMarkers {

    public static final String PREFIX = "shares/";
    /** Live shares a person may hold: one listing page counts them. */
    public static final int MAX_LIVE = 1000;

    private final Bucket bucket;
    private final Clock clock;

    public ShareMarkers(Bucket bucket, Clock clock) {
        this.bucket = bucket;
        this.clock = clock;
    }

    /** A live share, and the id of the secret its token was sealed with. */
    public record Marked(SealedShare share, String keyId) {}

    /** Live shares found, and the marker to resume after; null when there are no more. */
    public record Page(List<Marked> shares, String resumeAfter) {}

    public static String folderOf(String subject) {
        return PREFIX + subject + "/";
    }

    static String keyOf(SealedShare share) {
        return folderOf(share.subject()) + epoch(share.expires()) + "-" + share.id();
    }

    /** @param keyId the secret its token is sealed with, so a listing can seal the same token again */
    public void add(SealedShare share, String keyId) {
        var record = Map.of("id", share.id(), "subject", share.subject(), "target", share.target(),
                "issued", share.issued().getEpochSecond(), "expires", share.expires().getEpochSecond(), "key", keyId);
        bucket.putRecord(keyOf(share), Json.write(record).getBytes(StandardCharsets.UTF_8));
    }

    /** False once the share was revoked (or its marker expired): its link must not work. */
    public boolean isLive(SealedShare share) {
        return bucket.head(keyOf(share)).isPresent();
    }

    /** How many live shares {@code subject} holds, up to {@link #MAX_LIVE}. */
    public int countLive(String subject) {
        return bucket.objectsPage(folderOf(subject), liveFrom(subject), null, MAX_LIVE).contents().size();
    }

    /**
     * Up to {@code max} live shares of {@code subject}, soonest to expire first, after the marker
     * {@code resumeAfter} (null for the start). Reads each marker: {@code max} bounds the calls.
     */
    public Page live(String subject, String resumeAfter, int max) {
        String from = resumeAfter == null || resumeAfter.compareTo(liveFrom(subject)) < 0 ? liveFrom(subject) : resumeAfter;
        var page = bucket.objectsPage(folderOf(subject), from, null, max);
        List<Marked> shares = new ArrayList<>();
        String last = null;
        for (var object : page.contents().stream().limit(max).toList()) {
            last = object.key();
            // A marker deleted between the listing and the read was revoked meanwhile: leave it out.
            bucket.readRecord(object.key()).map(ShareMarkers::parse).ifPresent(shares::add);
        }
        boolean more = Boolean.TRUE.equals(page.isTruncated()) || page.contents().size() > max;
        return new Page(shares, more ? last : null);
    }

    /** The live share of {@code subject} with this id, if there is one. */
    public Optional<String> find(String subject, String id) {
        return bucket.objectsPage(folderOf(subject), liveFrom(subject), null, MAX_LIVE).contents().stream()
                .map(o -> o.key())
                .filter(k -> k.endsWith("-" + id))
                .findFirst();
    }

    public void remove(String markerKey) {
        bucket.delete(markerKey);
    }

    // Markers of shares that expired by now sort before this name: "<now>-<id>" too ('-' sorts before '.'),
    // as a token stops opening at its expiry second.
    private String liveFrom(String subject) {
        return folderOf(subject) + epoch(clock.instant()) + ".";
    }

    private static String epoch(Instant instant) {
        return String.format("%010d", instant.getEpochSecond());
    }

    private static Marked parse(byte[] json) {
        JsonNode n = Json.read(new String(json, StandardCharsets.UTF_8), JsonNode.class);
        var share = new SealedShare(n.get("id").asText(), n.get("subject").asText(), n.get("target").asText(),
                Instant.ofEpochSecond(n.get("issued").asLong()), Instant.ofEpochSecond(n.get("expires").asLong()));
        return new Marked(share, n.path("key").asText(null));
    }
}
