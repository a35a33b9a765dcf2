package io.skylift.backend.storage;

/** Amazon S3's own limits on multipart uploads and objects; nothing here is a Skylift choice. */
public final class S3Limits {

    public static final long MIB = 1024L * 1024;
    public static final long MIN_PART_SIZE = 5 * MIB;
    public static final long MAX_PART_SIZE = 5 * 1024 * MIB;
    public static final int MAX_PARTS = 10_000;
    public static final long MAX_OBJECT_SIZE = 5 * 1024 * 1024 * MIB;
    /** The most keys, parts or uploads one S3 list call returns. */
    public static final int MAX_LIST_PAGE = 1000;

    private S3Limits() {}
}
