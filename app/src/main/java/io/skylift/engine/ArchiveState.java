package io.skylift.engine;

import java.time.Instant;

/**
 * Whether a stored file can be downloaded now or lies in an archive (S3 Glacier Flexible Retrieval
 * or Deep Archive) and must be restored first, and how far a restore got. Immutable.
 *
 * <pre>{@code
 * switch (entry.archive().kind()) {
 *     case ARCHIVED -> offerRestore(entry);
 *     case RESTORED -> show("Restored until " + entry.archive().until());
 *     ...
 * }
 * }</pre>
 *
 * @param until for {@link Kind#RESTORED}, when the restored copy goes again; null otherwise
 */
public record ArchiveState(Kind kind, Instant until) {

    /** The four states a file can be in. */
    public enum Kind {
        /** Not archived: downloads now. */
        NONE,
        /** Archived and not restored: a download is refused until a restore finishes. */
        ARCHIVED,
        /** A restore was asked for and is running (minutes to hours). */
        RESTORING,
        /** A restored copy is there until {@link #until()}: downloads now. */
        RESTORED
    }

    public static final ArchiveState NONE = new ArchiveState(Kind.NONE, null);
    public static final ArchiveState ARCHIVED = new ArchiveState(Kind.ARCHIVED, null);
    public static final ArchiveState RESTORING = new ArchiveState(Kind.RESTORING, null);

    public ArchiveState {
        if (kind == null) {
            throw new IllegalArgumentException("an archive state needs its kind");
        }
        if (kind != Kind.RESTORED && until != null) {
            throw new IllegalArgumentException("only a restored file has an expiry");
        }
    }

    /** A restored copy that stays until {@code until} (null when storage did not say). */
    public static ArchiveState restored(Instant until) {
        return new ArchiveState(Kind.RESTORED, until);
    }

    /** True when a download of the file can start now. */
    public boolean downloadable() {
        return kind == Kind.NONE || kind == Kind.RESTORED;
    }
}
