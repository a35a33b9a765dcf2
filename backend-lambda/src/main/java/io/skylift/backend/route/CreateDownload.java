package io.skylift.backend.route;

import io.skylift.backend.http.ApiError;
import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.http.Router;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.keys.KeyRules;
import io.skylift.backend.signing.SignedRequest;
import io.skylift.backend.signing.UrlSigner;
import io.skylift.backend.storage.Archive;
import io.skylift.backend.storage.Bucket;
import io.skylift.backend.storage.Crc32c;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * {@code POST /v1/downloads}: one presigned GET that serves every range of one version of the file:
 * {@code If-Match} with the current ETag is signed, so a replaced file is never mixed in.
 */
public final class CreateDownload implements Router.Action {

    public record Request(String key) {}

    /**
     * @param serverSideEncryption S3's encryption of the object ({@code AES256}, {@code aws:kms}, …), null when
     *                             storage says none: a client checks a single-part object's ETag as its MD5 only
     *                             where it is not KMS, whose ETags are not MD5s
     */
    public record Response(String key, String url, Map<String, String> headers, long size, String etag, String crc32c,
                           Instant expiresAt, String fileName, String serverSideEncryption) {
        @Override
        public String toString() {
            return "Download[" + key + ", url=<hidden>]";
        }
    }

    private final KeyRules keys;
    private final UrlSigner signer;
    private final Bucket bucket;

    public CreateDownload(KeyRules keys, UrlSigner signer, Bucket bucket) {
        this.keys = keys;
        this.signer = signer;
        this.bucket = bucket;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Identity caller) {
        String key = keys.readableKey(caller, request.body(Request.class).key());
        HeadObjectResponse head = bucket.head(key).orElseThrow(() -> notFound(key));
        requireDownloadable(key, head);
        String fileName = KeyRules.fileNameOf(key);
        SignedRequest get = signer.getObject(key, head.eTag(), fileName);
        return ApiResponse.ok(new Response(key, get.url(), get.headers(), head.contentLength(), head.eTag(),
                Crc32c.wholeObject(head.checksumCRC32C()), get.expiresAt(), fileName,
                head.serverSideEncryption() == null ? null : head.serverSideEncryptionAsString()));
    }

    /**
     * Refuses a file that storage would not serve: archived and not restored, or being restored. Without
     * this the client would meet S3's 403 InvalidObjectState on its first GET, which says nothing of restoring.
     *
     * @throws ApiError 409 {@code OBJECT_ARCHIVED} or {@code RESTORE_IN_PROGRESS}
     */
    static void requireDownloadable(String key, HeadObjectResponse head) {
        Archive archive = Archive.of(head);
        if (archive == null || archive.downloads()) {
            return;
        }
        if (archive == Archive.RESTORING) {
            throw ApiError.conflict("RESTORE_IN_PROGRESS", KeyRules.fileNameOf(key) + " is being restored; try again later."
                    + " A restore takes minutes to hours (up to 48 for DEEP_ARCHIVE); the listing shows when it is done.");
        }
        throw archived(key, head.storageClassAsString());
    }

    /** The refusal of a file that must be restored first, in the words every client shows. */
    static ApiError archived(String key, String storageClass) {
        return ApiError.conflict("OBJECT_ARCHIVED", KeyRules.fileNameOf(key) + " is archived (" + storageClass + "); restore it first with"
                + " `skylift restore " + key + "` or Restore in the window. A restore takes minutes to hours (up to 48 for DEEP_ARCHIVE).");
    }

    static ApiError notFound(String key) {
        return ApiError.notFound("FILE_NOT_FOUND", "There is no file '" + key + "'; it may have been moved or deleted.");
    }
}
