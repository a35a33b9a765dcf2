package io.skylift.engine;

/**
 * How fast storage restores an archived file, and at what cost: for GLACIER, Expedited takes minutes,
 * Standard hours (3 to 5), Bulk 5 to 12; DEEP_ARCHIVE has no Expedited, Standard takes up to 12 hours
 * and Bulk up to 48.
 */
public enum RestoreTier {
    BULK("Bulk"),
    STANDARD("Standard"),
    EXPEDITED("Expedited");

    private final String wire;

    RestoreTier(String wire) {
        this.wire = wire;
    }

    /** As S3 and the Skylift API name it. */
    public String wireName() {
        return wire;
    }
}
