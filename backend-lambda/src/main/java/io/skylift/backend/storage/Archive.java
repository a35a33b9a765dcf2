package io.skylift.backend.storage;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.RestoreStatus;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Why a stored file does not download now: it is archived (GLACIER, DEEP_ARCHIVE, or an Intelligent-Tiering
 * archive tier), being restored, or restored until a time. A file that downloads now has no Archive (null),
 * unless it is a restored copy, which downloads until {@code until}.
 *
 * <p>Read from HeadObject ({@code x-amz-storage-class}, {@code x-amz-restore}, {@code x-amz-archive-status})
 * or from a listing's {@code <StorageClass>} and {@code <RestoreStatus>}. An immutable value.
 *
 * <pre>{@code
 * Archive archive = Archive.of(head);   // null: downloads now
 * if (archive != null && !archive.downloads()) { ...refuse... }
 * }</pre>
 *
 * @param state {@code archived}, {@code restoring} or {@code restored}
 * @param until when a restored copy goes away; only for {@code restored}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Archive(String state, Instant until) {

    public static final Archive ARCHIVED = new Archive("archived", null);
    public static final Archive RESTORING = new Archive("restoring", null);

    /** Storage classes whose objects must be restored before a GET. */
    public static final Set<String> ARCHIVE_CLASSES = Set.of("GLACIER", "DEEP_ARCHIVE");

    // x-amz-restore: ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"
    private static final Pattern ONGOING = Pattern.compile("ongoing-request\\s*=\\s*\"(true|false)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern EXPIRY = Pattern.compile("expiry-date\\s*=\\s*\"([^\"]+)\"", Pattern.CASE_INSENSITIVE);

    public static Archive restored(Instant until) {
        return new Archive("restored", until);
    }

    /** Whether a GET of the object works now: only a restored copy among archived objects. */
    @JsonIgnore
    public boolean downloads() {
        return state.equals("restored");
    }

    /** The object's archive state as HeadObject tells it; null for an object that is not archived. */
    public static Archive of(HeadObjectResponse head) {
        String storageClass = head.storageClassAsString();
        boolean archiveTier = head.archiveStatusAsString() != null;
        if (storageClass == null || !(ARCHIVE_CLASSES.contains(storageClass) || (storageClass.equals("INTELLIGENT_TIERING") && archiveTier))) {
            return null;
        }
        String restore = head.restore();
        if (restore == null || restore.isBlank()) {
            return ARCHIVED;
        }
        Matcher ongoing = ONGOING.matcher(restore);
        if (ongoing.find() && ongoing.group(1).equalsIgnoreCase("true")) {
            return RESTORING;
        }
        if (!ARCHIVE_CLASSES.contains(storageClass)) {
            // An Intelligent-Tiering object still in an archive tier has not come back, whatever an old restore said.
            return ARCHIVED;
        }
        Matcher expiry = EXPIRY.matcher(restore);
        if (expiry.find()) {
            try {
                return restored(ZonedDateTime.parse(expiry.group(1).trim(), DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT)).toInstant());
            } catch (DateTimeParseException e) {
                return restored(null);
            }
        }
        return restored(null);
    }

    /**
     * The object's archive state as a listing with {@code OptionalObjectAttributes=RestoreStatus} tells it;
     * null for an object that is not archived. Without a RestoreStatus (a storage server that does not
     * answer it), an archived class reads as archived: the download grant, which asks HeadObject, knows better.
     */
    public static Archive listed(S3Object object) {
        String storageClass = object.storageClassAsString();
        if (storageClass == null || !ARCHIVE_CLASSES.contains(storageClass)) {
            // Intelligent-Tiering's archive tiers do not show in a listing.
            return null;
        }
        RestoreStatus status = object.restoreStatus();
        if (status == null || status.isRestoreInProgress() == null) {
            return ARCHIVED;
        }
        return status.isRestoreInProgress() ? RESTORING : restored(status.restoreExpiryDate());
    }
}
