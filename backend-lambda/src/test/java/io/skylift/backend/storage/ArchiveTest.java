package io.skylift.backend.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.RestoreStatus;
import software.amazon.awssdk.services.s3.model.S3Object;

/** What HeadObject's and a listing's answers say of an archived object, in S3's own words (from its documentation). */
class ArchiveTest {

    static HeadObjectResponse head(String storageClass, String restore, String archiveStatus) {
        return HeadObjectResponse.builder().storageClass(storageClass).restore(restore).archiveStatus(archiveStatus).build();
    }

    @Test
    void aGlacierObjectIsArchivedUntilARestoreRunsAndThenRestoredUntilItsExpiry() {
        assertThat(Archive.of(head("GLACIER", null, null))).isEqualTo(Archive.ARCHIVED);
        assertThat(Archive.of(head("DEEP_ARCHIVE", "ongoing-request=\"true\"", null))).isEqualTo(Archive.RESTORING);
        Archive restored = Archive.of(head("GLACIER", "ongoing-request=\"false\", expiry-date=\"Fri, 21 Dec 2012 00:00:00 GMT\"", null));
        assertThat(restored).isEqualTo(Archive.restored(Instant.parse("2012-12-21T00:00:00Z")));
        assertThat(restored.downloads()).isTrue();
        assertThat(Archive.ARCHIVED.downloads()).isFalse();
        assertThat(Archive.RESTORING.downloads()).isFalse();
    }

    @Test
    void objectsOfOtherClassesAreNotArchivedExceptIntelligentTieringInAnArchiveTier() {
        assertThat(Archive.of(head(null, null, null))).isNull();
        assertThat(Archive.of(head("STANDARD", null, null))).isNull();
        assertThat(Archive.of(head("GLACIER_IR", null, null))).as("instant retrieval downloads now").isNull();
        assertThat(Archive.of(head("INTELLIGENT_TIERING", null, null))).isNull();
        assertThat(Archive.of(head("INTELLIGENT_TIERING", null, "ARCHIVE_ACCESS"))).isEqualTo(Archive.ARCHIVED);
        assertThat(Archive.of(head("INTELLIGENT_TIERING", "ongoing-request=\"true\"", "DEEP_ARCHIVE_ACCESS"))).isEqualTo(Archive.RESTORING);
    }

    @Test
    void aListingReadsTheRestoreStatusOfEachArchivedObject() {
        S3Object archived = S3Object.builder().key("a").storageClass("GLACIER").build();
        S3Object restoring = archived.toBuilder().restoreStatus(RestoreStatus.builder().isRestoreInProgress(true).build()).build();
        S3Object restored = archived.toBuilder().restoreStatus(RestoreStatus.builder().isRestoreInProgress(false)
                .restoreExpiryDate(Instant.parse("2012-12-21T00:00:00Z")).build()).build();

        assertThat(Archive.listed(archived)).isEqualTo(Archive.ARCHIVED);
        assertThat(Archive.listed(restoring)).isEqualTo(Archive.RESTORING);
        assertThat(Archive.listed(restored)).isEqualTo(Archive.restored(Instant.parse("2012-12-21T00:00:00Z")));
        assertThat(Archive.listed(S3Object.builder().key("b").storageClass("STANDARD").build())).isNull();
        assertThat(Archive.listed(S3Object.builder().key("c").build())).isNull();
    }
}
