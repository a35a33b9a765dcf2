package io.skylift.backend.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skylift.backend.http.ApiError;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartPlanTest {

    static final long MIB = 1024L * 1024;
    static final long GIB = 1024 * MIB;
    static final long TIB = 1024 * GIB;

    static void assertApiError(ThrowingCallable call, int status, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.code()).isEqualTo(code);
        });
    }

    /** The parts together hold the file, the last part is not empty, and S3's limits hold. */
    static void assertCoversFileWithinS3Limits(PartPlan plan) {
        assertThat(plan.partCount()).isBetween(1, S3Limits.MAX_PARTS);
        assertThat(plan.partSize()).isBetween(S3Limits.MIN_PART_SIZE, S3Limits.MAX_PART_SIZE);
        assertThat(plan.partSize() * plan.partCount()).isGreaterThanOrEqualTo(plan.size());
        assertThat(plan.partSize() * (plan.partCount() - 1L)).isLessThan(plan.size());
    }

    @Test
    void theDefaultPartSizeIs16MiB() {
        assertThat(PartPlan.DEFAULT_MIN_PART_SIZE).isEqualTo(16 * MIB);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 5 * 1024 * 1024 - 1, 16 * 1024 * 1024 - 1})
    void aFileSmallerThanOnePartGoesAsOnePut(long size) {
        PartPlan plan = PartPlan.of(size, 0);

        assertThat(plan.single()).isTrue();
        assertThat(plan.partCount()).isEqualTo(1);
        assertThat(plan.size()).isEqualTo(size);
        assertThat(plan.partSize()).isEqualTo(size);
    }

    @Test
    void aFileOfExactly16MiBIsAOnePartMultipartUpload() {
        assertThat(PartPlan.of(16 * MIB, 0)).isEqualTo(new PartPlan(16 * MIB, 16 * MIB, 1, false));
    }

    @Test
    void aFileOneByteOver16MiBTakesTwoParts() {
        assertThat(PartPlan.of(16 * MIB + 1, 0)).isEqualTo(new PartPlan(16 * MIB + 1, 16 * MIB, 2, false));
    }

    @Test
    void aMediumFileUses16MiBParts() {
        assertThat(PartPlan.of(GIB, 0)).isEqualTo(new PartPlan(GIB, 16 * MIB, 64, false));
        assertThat(PartPlan.of(45 * MIB + 123, 0)).isEqualTo(new PartPlan(45 * MIB + 123, 16 * MIB, 3, false));
    }

    @Test
    void tenThousand16MiBPartsIsTheLargestFileWithTheDefaultPartSize() {
        long size = S3Limits.MAX_PARTS * 16 * MIB;

        assertThat(PartPlan.of(size, 0)).isEqualTo(new PartPlan(size, 16 * MIB, 10_000, false));
    }

    @Test
    void oneByteMoreThanTenThousand16MiBPartsGrowsThePartSizeByOneMiB() {
        long size = S3Limits.MAX_PARTS * 16 * MIB + 1;

        PartPlan plan = PartPlan.of(size, 0);

        assertThat(plan.partSize()).isEqualTo(17 * MIB);
        assertCoversFileWithinS3Limits(plan);
    }

    @Test
    void aFiveTebibyteFileUsesTheSmallestWholeMiBPartSizeThatFitsInTenThousandParts() {
        long size = 5 * TIB;

        PartPlan plan = PartPlan.of(size, 0);

        assertThat(plan.single()).isFalse();
        assertThat(plan.partSize() % MIB).isZero();
        assertThat(plan.partCount()).isLessThanOrEqualTo(10_000);
        assertCoversFileWithinS3Limits(plan);
        assertThat((plan.partSize() - MIB) * S3Limits.MAX_PARTS).as("one MiB smaller would not fit").isLessThan(size);
        assertThat(plan.partSize()).isEqualTo(525 * MIB);
    }

    @Test
    void aRequestedPartSizeWithinS3sLimitsIsUsed() {
        assertThat(PartPlan.of(100 * MIB, 5 * MIB)).isEqualTo(new PartPlan(100 * MIB, 5 * MIB, 20, false));
        assertThat(PartPlan.of(11 * GIB, 5 * GIB)).isEqualTo(new PartPlan(11 * GIB, 5 * GIB, 3, false));
    }

    @Test
    void aFileSmallerThanTheRequestedPartSizeGoesAsOnePut() {
        assertThat(PartPlan.of(6 * MIB, 8 * MIB)).isEqualTo(new PartPlan(6 * MIB, 6 * MIB, 1, true));
    }

    @Test
    void aRequestedPartSizeNeedingExactlyTenThousandPartsIsAccepted() {
        long size = S3Limits.MAX_PARTS * 5 * MIB;

        assertThat(PartPlan.of(size, 5 * MIB).partCount()).isEqualTo(10_000);
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, 1, 5 * 1024 * 1024 - 1})
    void aRequestedPartSizeBelow5MiBIsRefused(long partSize) {
        assertApiError(() -> PartPlan.of(100 * MIB, partSize), 400, "PART_SIZE_INVALID");
    }

    @Test
    void aRequestedPartSizeAbove5GiBIsRefused() {
        assertApiError(() -> PartPlan.of(100 * GIB, 5 * GIB + 1), 400, "PART_SIZE_INVALID");
    }

    @Test
    void aRequestedPartSizeNeedingMoreThanTenThousandPartsIsRefused() {
        assertApiError(() -> PartPlan.of(S3Limits.MAX_PARTS * 5 * MIB + 1, 5 * MIB), 400, "PART_SIZE_INVALID");
        assertApiError(() -> PartPlan.of(5 * TIB, 16 * MIB), 400, "PART_SIZE_INVALID");
    }
}
