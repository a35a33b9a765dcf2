package io.skylift.backend.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.skylift.backend.http.ApiError;
import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.http.Router;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.keys.KeyRules;
import io.skylift.backend.signing.SealedUploadId;
import io.skylift.backend.signing.SignedRequest;
import io.skylift.backend.signing.UploadSeal;
import io.skylift.backend.signing.UrlSigner;
import io.skylift.backend.storage.Bucket;
import io.skylift.backend.storage.Crc32c;
import io.skylift.backend.storage.PartPlan;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/uploads}: places the file under the caller's folder, plans its parts and starts a
 * multipart upload, or, for a file smaller than one part, signs a single PUT.
 */
public final class CreateUpload implements Router.Action {

    /**
     * @param checksum  the whole-file checksum algorithm the client will send at complete; only CRC32C
     * @param crc32c    the whole file's CRC32C, signed into a single PUT so S3 checks it: required when the
     *                  file goes as one PUT (smaller than one part), ignored otherwise
     * @param partSize  optional: the client's part size, within S3's limits
     */
    public record Request(String fileName, String folder, Long size, String contentType, String checksum,
                          String crc32c, Long partSize) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Response(String id, String key, long size, Long partSize, Integer partCount, long urlTtlSeconds,
                           Integer maxSignBatch, SignedRequest single) {}

    // RFC 6838 type/subtype, no parameters: it is signed into a single PUT, so keep it plain.
    private static final Pattern CONTENT_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}");
    private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    private final KeyRules keys;
    private final UploadSeal seal;
    private final UrlSigner signer;
    private final Bucket bucket;
    private final long maxFileSize;

    public CreateUpload(KeyRules keys, UploadSeal seal, UrlSigner signer, Bucket bucket, long maxFileSize) {
        this.keys = keys;
        this.seal = seal;
        this.signer = signer;
        this.bucket = bucket;
        this.maxFileSize = maxFileSize;
    }

    /** An item that passed every check: what {@link #start} needs, and no S3 call made to get it. */
    record Checked(String key, long size, String crc32c, String contentType, PartPlan plan) {}

    @Override
    public ApiResponse handle(ApiRequest request, Identity caller) {
        Checked upload = check(request.body(Request.class), caller);
        // Fail before the client sends gigabytes: the key is taken. Complete re-checks atomically.
        if (bucket.head(upload.key()).isPresent()) {
            throw objectExists(upload.key());
        }
        return ApiResponse.json(201, start(upload, caller));
    }

    /**
     * Every check of a create, none of which calls storage: the name and the key it makes, the size,
     * the checksum and content type, the plan.
     *
     * @throws ApiError 400 or 413 naming the bad value
     */
    Checked check(Request body, Identity caller) {
        String key = keys.uploadKey(caller, body.folder(), body.fileName());
        long size = requireSize(body.size());
        if (body.checksum() != null && !body.checksum().equalsIgnoreCase("CRC32C")) {
            throw ApiError.badRequest("CHECKSUM_UNSUPPORTED", "checksum must be \"CRC32C\"; was \"" + body.checksum() + "\".");
        }
        String crc32c = body.crc32c() == null ? null : Crc32c.require(body.crc32c(), "crc32c");
        String contentType = contentType(body.contentType());
        PartPlan plan = PartPlan.of(size, body.partSize() == null ? 0 : body.partSize());
        if (plan.single() && crc32c == null) {
            // The checksum signed into the PUT is the only check of a single PUT's bytes: storage
            // refuses any other body, and nothing at complete could tell this file from another of
            // its length. Every Skylift client sends it for a file below one part.
            throw ApiError.badRequest("CHECKSUM_REQUIRED", "crc32c is required for a file smaller than one part: it goes as"
                    + " one PUT, and storage checks its bytes against the file's CRC32C (base64 of its 4 bytes, big-endian).");
        }
        return new Checked(key, size, crc32c, contentType, plan);
    }

    /** Signs the single PUT, or starts the multipart upload; the caller has made sure the name is free. */
    Response start(Checked upload, Identity caller) {
        long ttl = signer.ttl().toSeconds();
        String key = upload.key();
        long size = upload.size();
        PartPlan plan = upload.plan();
        if (plan.single()) {
            var id = new SealedUploadId(caller.subject(), key, null, size, size, 1, SealedUploadId.Scope.FULL);
            SignedRequest put = signer.putObject(key, size, upload.crc32c(), upload.contentType());
            return new Response(seal.seal(id), key, size, null, null, ttl, null, put);
        }
        String uploadId = bucket.createMultipartUpload(key, upload.contentType());
        var id = new SealedUploadId(caller.subject(), key, uploadId, size, plan.partSize(), plan.partCount(), SealedUploadId.Scope.FULL);
        return new Response(seal.seal(id), key, size, plan.partSize(), plan.partCount(), ttl, SignParts.MAX_BATCH, null);
    }

    static ApiError objectExists(String key) {
        return ApiError.conflict("OBJECT_EXISTS", "A file named '" + KeyRules.fileNameOf(key)
                + "' already exists in that folder; rename the file or choose another folder.");
    }

    private long requireSize(Long size) {
        if (size == null || size < 0) {
            throw ApiError.badRequest("SIZE_INVALID", "size is required: the file's length in bytes, 0 or more.");
        }
        if (size > maxFileSize) {
            throw ApiError.tooLarge("FILE_TOO_LARGE", "The file is " + size + " bytes; the limit here is " + maxFileSize + " bytes.");
        }
        return size;
    }

    private static String contentType(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_CONTENT_TYPE;
        }
        if (!CONTENT_TYPE.matcher(value).matches()) {
            throw ApiError.badRequest("CONTENT_TYPE_INVALID", "contentType must look like \"image/tiff\", without parameters.");
        }
        return value;
    }
}
