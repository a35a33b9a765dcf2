package io.skylift.backend.route;

import io.skylift.backend.http.ApiError;
import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.http.Router;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.keys.KeyRules;
import io.skylift.backend.signing.SealedUploadId;
import io.skylift.backend.signing.UploadSeal;
import io.skylift.backend.storage.Bucket;
import io.skylift.backend.storage.Crc32c;
import io.skylift.backend.storage.StorageFailures;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code POST /v1/uploads/{id}/complete}: checks, from S3's own listing, that parts 1..N are all there
 * with the planned sizes, completes with the whole-file CRC32C and {@code If-None-Match: *}, then
 * reads the object back. Retrying a complete that already succeeded answers 200.
 */
public final class CompleteUpload implements Router.Action {

    /**
     * @param crc32c the whole file's CRC32C
     * @param parts  optional: each part's CRC32C as signed. Used only where storage does not list part
     *               checksums itself (S3 does; some S3-compatible servers do not), so that storage can
     *               check the whole-file checksum against the parts.
     */
    public record Request(String crc32c, List<SignParts.PartRef> parts) {}

    public record Response(String key, long size, String etag, String crc32c) {}

    // A 409 names this many missing parts; more would only bloat the message.
    private static final int NAMED_PROBLEMS = 10;

    private final UploadSeal seal;
    private final Bucket bucket;

    public CompleteUpload(UploadSeal seal, Bucket bucket) {
        this.seal = seal;
        this.bucket = bucket;
    }

    /** A complete that passed every check: what {@link #complete} needs, and no S3 call made to get it. */
    record Checked(SealedUploadId id, String crc32c, Map<Integer, String> clientChecksums) {}

    @Override
    public ApiResponse handle(ApiRequest request, Identity caller) {
        SealedUploadId id = open(request.pathParam("id"), caller);
        return ApiResponse.ok(complete(check(id, request.body(Request.class))));
    }

    /** @throws ApiError 403 for a forged, altered, limited or someone else's id; 410 for an expired one */
    SealedUploadId open(String token, Identity caller) {
        return seal.open(token, caller).requireFull();
    }

    /** @throws ApiError 400 for a malformed whole-file checksum or parts list */
    Checked check(SealedUploadId id, Request body) {
        String crc32c = Crc32c.require(body.crc32c(), "crc32c");
        // A single PUT has no parts for storage to check against; whatever is listed is not used.
        Map<Integer, String> checksums = id.isSingle() ? Map.of() : clientChecksums(id, body.parts());
        return new Checked(id, crc32c, checksums);
    }

    /**
     * Completes a checked upload, or finds it completed already.
     *
     * @throws ApiError 409, 404, 422 or 500 as the route documents; SDK exceptions for storage failures
     */
    Response complete(Checked checked) {
        SealedUploadId id = checked.id();
        String crc32c = checked.crc32c();
        if (id.isSingle()) {
            return stored(id, crc32c).orElseThrow(() -> ApiError.conflict("NOT_UPLOADED",
                    "The file has not arrived in storage yet; send it with the signed PUT first."));
        }
        List<Part> parts;
        try {
            parts = bucket.allParts(id.key(), id.s3UploadId(), id.partCount());
        } catch (Bucket.UploadGone e) {
            return alreadyCompleted(id, crc32c);
        }
        List<CompletedPart> completed;
        try {
            completed = checkedParts(id, parts, checked.clientChecksums());
        } catch (ApiError incomplete) {
            // An earlier complete of this same upload may be under way (the client retries one that outlasted
            // its read timeout): storage can have stored the object and removed the parts while it still lists
            // the upload as open. Then the file is stored, with these bytes.
            return storedByThisUpload(id, crc32c, List.of()).orElseThrow(() -> incomplete);
        }
        try {
            bucket.complete(id.key(), id.s3UploadId(), completed, crc32c);
        } catch (S3Exception e) {
            return failedCompletion(id, crc32c, completed, e);
        }
        return stored(id, crc32c).orElseThrow(() -> new ApiError(500, "NOT_STORED",
                "Storage accepted the upload but does not show the file; try completing again.", true));
    }

    private static Map<Integer, String> clientChecksums(SealedUploadId id, List<SignParts.PartRef> refs) {
        Map<Integer, String> checksums = new TreeMap<>();
        if (refs == null) {
            return checksums;
        }
        if (refs.size() > id.partCount()) {
            throw ApiError.badRequest("PART_NUMBER_INVALID", "parts lists more than the upload's " + id.partCount() + " parts.");
        }
        for (SignParts.PartRef ref : refs) {
            if (ref == null || ref.partNumber() == null || ref.partNumber() < 1 || ref.partNumber() > id.partCount()) {
                throw ApiError.badRequest("PART_NUMBER_INVALID", "partNumber must be from 1 to " + id.partCount() + ".");
            }
            checksums.put(ref.partNumber(), Crc32c.require(ref.crc32c(), "crc32c of part " + ref.partNumber()));
        }
        return checksums;
    }

    private List<CompletedPart> checkedParts(SealedUploadId id, List<Part> parts, Map<Integer, String> clientChecksums) {
        Map<Integer, Part> byNumber = new TreeMap<>();
        for (Part part : parts) {
            byNumber.put(part.partNumber(), part);
        }
        List<String> problems = new ArrayList<>();
        List<CompletedPart> completed = new ArrayList<>(id.partCount());
        for (int n = 1; n <= id.partCount(); n++) {
            Part part = byNumber.get(n);
            if (part == null) {
                problems.add("part " + n + " is missing");
            } else if (part.size() != id.partLength(n)) {
                problems.add("part " + n + " has " + part.size() + " bytes, expected " + id.partLength(n));
            } else {
                // Storage's own record of the part's checksum wins; the client's is the fallback.
                String stored = Crc32c.wholeObject(part.checksumCRC32C());
                completed.add(CompletedPart.builder().partNumber(n).eTag(part.eTag())
                        .checksumCRC32C(stored != null ? stored : clientChecksums.get(n)).build());
            }
        }
        if (!problems.isEmpty()) {
            String named = String.join("; ", problems.subList(0, Math.min(NAMED_PROBLEMS, problems.size())));
            String more = problems.size() > NAMED_PROBLEMS ? " (and " + (problems.size() - NAMED_PROBLEMS) + " more)" : "";
            throw ApiError.conflict("PARTS_INCOMPLETE", "The upload cannot be finished yet: " + named + more
                    + ". Send the missing parts, then complete again.");
        }
        return completed;
    }

    private Response failedCompletion(SealedUploadId id, String crc32c, List<CompletedPart> parts, S3Exception e) {
        String code = StorageFailures.code(e);
        boolean taken = e.statusCode() == 412 || code.equals("PreconditionFailed");
        // 409 (ConditionalRequestConflict): the conditional complete raced another operation on the key,
        // and S3 says to start the upload again.
        boolean raced = e.statusCode() == 409;
        if (taken || raced) {
            // A retried complete can race the first one, whose object then blocks this one: that object is ours.
            Optional<HeadObjectResponse> there = bucket.head(id.key());
            if (there.isPresent() && isOurs(id, crc32c, parts, there.get())) {
                return response(id.key(), there.get());
            }
            if (taken || there.isPresent()) {
                // The key was taken by another file while this upload ran; it can never complete, so free its parts.
                bucket.abort(id.key(), id.s3UploadId());
                throw ApiError.conflict("OBJECT_EXISTS", "A file named '" + KeyRules.fileNameOf(id.key())
                        + "' appeared in that folder during the upload; it was not replaced. Upload again under another name.");
            }
            // Nothing took the name, so starting again can succeed. The parts are not aborted here: the
            // operation raced may be this upload's own earlier complete, still under way; the bucket's
            // lifecycle rule removes them if it is not.
            throw new ApiError(409, "UPLOAD_CONFLICT", "Storage could not finish '" + KeyRules.fileNameOf(id.key())
                    + "' because another change to that name happened at the same moment; start this upload again.", true);
        }
        if (code.equals("NoSuchUpload") || e.statusCode() == 404) {
            return alreadyCompleted(id, crc32c);
        }
        if (code.equals("BadDigest") || code.equals("InvalidDigest")
                || (e.statusCode() == 400 && String.valueOf(e.awsErrorDetails().errorMessage()).toLowerCase(java.util.Locale.ROOT).contains("checksum"))) {
            throw new ApiError(422, "CHECKSUM_MISMATCH",
                    "The file's checksum does not match the parts stored; the file may have changed during the upload. Upload it again.", false);
        }
        if (code.equals("InvalidPart")) {
            // The parts were listed a moment ago, so a part gone now is most likely one an earlier complete of
            // this same upload removed as it stored the object (the S3 client retries a complete that outlasts
            // its read timeout, and the first attempt goes on): that object is ours.
            Optional<Response> ours = storedByThisUpload(id, crc32c, parts);
            if (ours.isPresent()) {
                return ours.get();
            }
        }
        if (code.equals("InvalidPart") || code.equals("InvalidPartOrder") || code.equals("EntityTooSmall")) {
            throw ApiError.conflict("PARTS_INVALID", "Storage refused the parts (" + code + "); upload the file again.");
        }
        throw e;
    }

    /** The object stored under the upload's key, when it is this upload's (see {@link #isOurs}). */
    private Optional<Response> storedByThisUpload(SealedUploadId id, String crc32c, List<CompletedPart> parts) {
        return bucket.head(id.key()).filter(head -> isOurs(id, crc32c, parts, head)).map(head -> response(id.key(), head));
    }

    /**
     * Whether the stored object is this upload's: made by storage from exactly these parts (its multipart
     * ETag), or holding the same bytes (size and full-object CRC32C), which also holds where ETags are not
     * made of MD5s (SSE-KMS).
     */
    private static boolean isOurs(SealedUploadId id, String crc32c, List<CompletedPart> parts, HeadObjectResponse head) {
        if (head.contentLength() != id.size()) {
            return false;
        }
        String expected = multipartEtag(parts);
        boolean sameParts = !expected.isEmpty() && head.eTag() != null && expected.equals(head.eTag().replace("\"", ""));
        return sameParts || crc32c.equals(Crc32c.wholeObject(head.checksumCRC32C()));
    }

    /** S3's ETag of a multipart object: MD5 over the parts' binary MD5s, then "-" and the part count. */
    static String multipartEtag(List<CompletedPart> parts) {
        if (parts.isEmpty()) {
            // No parts known (they went into an object already): no claim from the ETag.
            return "";
        }
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            for (CompletedPart part : parts) {
                md5.update(HexFormat.of().parseHex(part.eTag().replace("\"", "")));
            }
            return HexFormat.of().formatHex(md5.digest()) + "-" + parts.size();
        } catch (NoSuchAlgorithmException | IllegalArgumentException e) {
            // Not MD5-shaped part ETags (some encryption modes): no claim that the object is ours.
            return "";
        }
    }

    // The upload id is gone: either a previous complete succeeded (answer as it did) or it was aborted.
    private Response alreadyCompleted(SealedUploadId id, String crc32c) {
        return stored(id, crc32c).orElseThrow(() -> ApiError.notFound("UPLOAD_NOT_FOUND",
                "This upload no longer exists: it was cancelled or expired. Start it again."));
    }

    private Optional<Response> stored(SealedUploadId id, String crc32c) {
        return bucket.head(id.key()).map(head -> {
            String storedCrc = Crc32c.wholeObject(head.checksumCRC32C());
            // A single PUT's CRC32C is signed into it, so storage holds it for the upload's own object:
            // one without it, of the same size, is another tool's.
            boolean unknowable = storedCrc == null && id.isSingle();
            if (head.contentLength() != id.size() || unknowable || (storedCrc != null && !storedCrc.equals(crc32c))) {
                throw ApiError.conflict("OBJECT_DIFFERS", "A different file named '" + KeyRules.fileNameOf(id.key())
                        + "' is stored there (" + head.contentLength() + " bytes); yours was not written.");
            }
            return response(id.key(), head);
        });
    }

    private static Response response(String key, HeadObjectResponse head) {
        return new Response(key, head.contentLength(), head.eTag(), Crc32c.wholeObject(head.checksumCRC32C()));
    }
}
