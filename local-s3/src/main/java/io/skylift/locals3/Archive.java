package io.skylift.locals3;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The archive storage classes as S3 has them: an object stored as GLACIER or DEEP_ARCHIVE cannot be
 * read (nor copied) until a RestoreObject has completed, which here takes {@link #restoreDelay()}
 * rather than hours. HEAD answers {@code x-amz-restore}, listings asked for it answer
 * {@code <RestoreStatus>}, and a restored copy expires after the days asked for, as on S3.
 *
 * <p>Restores live in memory, keyed by bucket, key and ETag: an object written again (even with the
 * same bytes) is archived afresh, and a restarted server has forgotten every restore, as if each had
 * expired. At most {@value #REMEMBERED_RESTORES} are remembered; beyond that the oldest is forgotten.
 *
 * <p>Thread-safe: a test changes the delay while the server answers requests.
 *
 * <pre>{@code
 * s3.archive().restoreDelay(Duration.ofSeconds(1));
 * // a restore asked for from now on completes a second later
 * }</pre>
 */
public final class Archive {

    /** How long a restore takes unless {@link LocalS3.Settings} or a test say otherwise. */
    public static final Duration DEFAULT_RESTORE_DELAY = Duration.ofSeconds(3);

    /** The storage classes whose objects must be restored before they are read. */
    static final Set<String> ARCHIVED_CLASSES = Set.of("GLACIER", "DEEP_ARCHIVE");

    /** Far more than any test or sandbox asks for; the bound keeps a long-running sandbox's memory flat. */
    static final int REMEMBERED_RESTORES = 100_000;

    /** What a restore request meets, and so how S3 answers it. */
    enum Outcome {
        /** The first request: 202, the restore runs. */
        STARTED,
        /** A restore of this object is still running: 409 {@code RestoreAlreadyInProgress}. */
        RUNNING,
        /** Already restored: 200, and the restored copy is kept for the days now asked for. */
        EXTENDED
    }

    /** The restore of one object as HEAD and listings show it; {@code expiry} is null while it runs. */
    record State(boolean ongoing, Instant expiry) {}

    private record ObjectId(String bucket, String key) {}

    private record Restore(String etag, int days, Instant completes, Instant expires) {
        boolean ongoing(Instant now) {
            return now.isBefore(completes);
        }

        Instant expiry() {
            return expires != null ? expires : expiryAfter(completes, days);
        }
    }

    private final InstantSource clock;
    private final Object lock = new Object();
    private final Map<ObjectId, Restore> restores = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ObjectId, Restore> eldest) {
            return size() > REMEMBERED_RESTORES;
        }
    };
    private volatile Duration restoreDelay;

    Archive(Duration restoreDelay, InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        restoreDelay(restoreDelay);
    }

    /** How long a restore asked for from now on takes; restores already running keep their time. */
    public void restoreDelay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("the restore delay must not be negative, was " + delay);
        }
        restoreDelay = delay;
    }

    public Duration restoreDelay() {
        return restoreDelay;
    }

    /** Whether objects of this storage class (null is STANDARD) must be restored before they are read. */
    static boolean archived(String storageClass) {
        return storageClass != null && ARCHIVED_CLASSES.contains(storageClass);
    }

    /** Asks for the object with this ETag to be restored for {@code days}. */
    Outcome restore(String bucket, String key, String etag, int days) {
        Instant now = clock.instant();
        ObjectId id = new ObjectId(bucket, key);
        synchronized (lock) {
            Restore known = current(id, etag, now);
            if (known == null) {
                restores.put(id, new Restore(bare(etag), days, now.plus(restoreDelay), null));
                return Outcome.STARTED;
            }
            if (known.ongoing(now)) {
                return Outcome.RUNNING;
            }
            // S3 counts the days again from now when a restored copy is restored again.
            restores.put(id, new Restore(known.etag(), days, known.completes(), expiryAfter(now, days)));
            return Outcome.EXTENDED;
        }
    }

    /** The restore of the object with this ETag, empty when none was asked for, it expired or the object changed. */
    Optional<State> state(String bucket, String key, String etag) {
        Instant now = clock.instant();
        synchronized (lock) {
            Restore known = current(new ObjectId(bucket, key), etag, now);
            if (known == null) {
                return Optional.empty();
            }
            return Optional.of(known.ongoing(now) ? new State(true, null) : new State(false, known.expiry()));
        }
    }

    /** Whether the object with this ETag has a finished, unexpired restore. */
    boolean readable(String bucket, String key, String etag) {
        return state(bucket, key, etag).filter(state -> !state.ongoing()).isPresent();
    }

    /** The object was written or removed: whatever now has its name is archived afresh. */
    void forget(String bucket, String key) {
        synchronized (lock) {
            restores.remove(new ObjectId(bucket, key));
        }
    }

    private Restore current(ObjectId id, String etag, Instant now) {
        Restore known = restores.get(id);
        if (known != null && (!known.etag().equals(bare(etag)) || !known.ongoing(now) && !now.isBefore(known.expiry()))) {
            restores.remove(id);
            return null;
        }
        return known;
    }

    // S3 keeps a restored copy for the days asked for, counted from when the restore completes and
    // rounded up to the next midnight UTC.
    private static Instant expiryAfter(Instant start, int days) {
        return start.plus(Duration.ofDays(days)).atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).plusDays(1).toInstant();
    }

    private static String bare(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }
}
