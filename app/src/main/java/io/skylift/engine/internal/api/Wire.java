package io.skylift.engine.internal.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON messages of the Skylift API (docs/api.md), as the client reads and writes them. */
public final class Wire {

    private Wire() {}

    public record Me(User user, List<String> roles, String home, List<String> readablePrefixes, Limits limits) {}

    public record User(String id, String name) {}

    public record Limits(long maxFileSize, long urlTtlSeconds, int maxSignBatch, long minPartSize, long maxPartSize,
                         int maxParts, long defaultPartSize) {}

    public record CreateUpload(String fileName, String folder, long size, String contentType, String checksum,
                               String crc32c, Long partSize) {}

    public record CreatedUpload(String id, String key, long size, Long partSize, Integer partCount, long urlTtlSeconds,
                                Integer maxSignBatch, SignedUrl single) {}

    public record CreateBatch(List<CreateUpload> uploads) {}

    /**
     * One item's answer in a batch of creates: {@code upload} when created (status 201), else
     * {@code error}, with {@code stored} when the name holds a file ({@code OBJECT_EXISTS}).
     */
    public record CreateResult(int status, CreatedUpload upload, ErrorDetail error, StoredObject stored) {}

    public record CreateResults(List<CreateResult> uploads) {}

    /** A file storage holds; {@code crc32c} is its full-object CRC32C, null when storage keeps none. */
    public record StoredObject(String key, long size, String etag, String crc32c) {}

    /** A presigned request: the URL is a credential until {@code expiresAt}; never log or store it. */
    public record SignedUrl(String url, Map<String, String> headers, Instant expiresAt) {
        @Override
        public String toString() {
            return "SignedUrl[url=<hidden>, expiresAt=" + expiresAt + "]";
        }
    }

    public record PartRef(int partNumber, String crc32c) {}

    public record SignRequest(List<PartRef> parts) {}

    public record SignedPart(int partNumber, String url, Map<String, String> headers, Instant expiresAt) {
        public SignedUrl signed() {
            return new SignedUrl(url, headers, expiresAt);
        }

        @Override
        public String toString() {
            return "SignedPart[" + partNumber + ", url=<hidden>]";
        }
    }

    public record SignedParts(List<SignedPart> parts) {}

    public record StoredPart(int partNumber, long size, String etag, String crc32c) {}

    public record PartsPage(List<StoredPart> parts, String nextCursor) {}

    public record Complete(String crc32c, List<PartRef> parts) {}

    public record Completed(String key, long size, String etag, String crc32c) {}

    /**
     * A listed file. {@code storageClass} and {@code archive} are null from a service that predates
     * them, and for a file that downloads now; {@code storageClass} null means STANDARD.
     */
    public record FileEntry(String key, long size, String etag, Instant lastModified, String storageClass, Archive archive) {}

    /** {@code state}: "archived", "restoring" or "restored" (then {@code until}, when the restored copy goes). */
    public record Archive(String state, Instant until) {}

    public record FilesPage(String prefix, List<FileEntry> files, List<String> folders, String nextCursor) {}

    public record DownloadRequest(String key) {}

    /** @param serverSideEncryption S3's {@code x-amz-server-side-encryption} of the object; null when not said */
    public record DownloadGrant(String key, String url, Map<String, String> headers, long size, String etag, String crc32c,
                                Instant expiresAt, String fileName, String serverSideEncryption) {
        public SignedUrl signed() {
            return new SignedUrl(url, headers, expiresAt);
        }

        @Override
        public String toString() {
            return "DownloadGrant[" + key + ", url=<hidden>]";
        }
    }

    public record Deletions(List<String> keys) {}

    /** {@code failed}: index into the request's keys, with why. */
    public record Deleted(int deleted, List<DeleteFailure> failed) {}

    /** {@code retryable}: storage was busy for this key; send it again. */
    public record DeleteFailure(int index, String code, String message, boolean retryable) {}

    public record MoveRequest(String from, String to) {}

    /**
     * {@code state} "done" (with size, etag, crc32c) or "copying": a large file copied in parts, to
     * be continued with its sealed {@code id} until done.
     */
    public record MoveState(String state, String id, String from, String to, Long size, String etag, String crc32c,
                            Integer partsDone, Integer partsTotal) {}

    public record RestoreRequest(String key, int days, String tier) {}

    /** {@code state} "restoring", or "restored" with {@code until}. */
    public record Restore(String key, String state, Instant until) {}

    /** Exactly one of {@code key} (a file) and {@code prefix} (a folder, ending in '/'); seconds, null for the default. */
    public record ShareRequest(String key, String prefix, Long expiresIn) {}

    /** A share link: {@code url} opens the share's page for anyone who has it until {@code expiresAt}; never log it. */
    public record Share(String id, String url, String name, String key, String prefix, boolean folder, Instant createdAt,
                        Instant expiresAt) {
        @Override
        public String toString() {
            return "Share[" + id + ", " + name + ", until " + expiresAt + "]";
        }
    }

    public record SharesPage(List<Share> shares, String nextCursor) {}

    public record ErrorBody(ErrorDetail error, String message) {}

    public record ErrorDetail(String code, String message, boolean retryable, String requestId) {}
}
