package io.skylift.backend.route;

import io.skylift.backend.http.ApiError;
import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.http.Router;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.signing.SealedUploadId;
import io.skylift.backend.signing.SignedRequest;
import io.skylift.backend.signing.UploadSeal;
import io.skylift.backend.signing.UrlSigner;
import io.skylift.backend.storage.Crc32c;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v1/uploads/{id}/parts/sign}: one presigned PUT per part, each binding the part's exact
 * length and CRC32C. No S3 call: signing is local.
 */
public final class SignParts implements Router.Action {

    /** Parts per call: 100 URLs of worst-case length stay far below 1 MB. */
    public static final int MAX_BATCH = 100;

    public record Request(List<PartRef> parts) {}

    public record PartRef(Integer partNumber, String crc32c) {}

    public record Response(List<SignedPart> parts) {}

    public record SignedPart(int partNumber, String url, Map<String, String> headers, Instant expiresAt) {
        @Override
        public String toString() {
            return "SignedPart[" + partNumber + ", url=<hidden>]";
        }
    }

    private final UploadSeal seal;
    private final UrlSigner signer;

    public SignParts(UploadSeal seal, UrlSigner signer) {
        this.seal = seal;
        this.signer = signer;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Identity caller) {
        SealedUploadId id = seal.open(request.pathParam("id"), caller).requireFull();
        if (id.isSingle()) {
            throw ApiError.badRequest("NOT_MULTIPART", "This upload is a single PUT; it has no parts to sign.");
        }
        Request body = request.body(Request.class);
        List<PartRef> refs = body.parts() == null ? List.of() : body.parts();
        if (refs.isEmpty() || refs.size() > MAX_BATCH) {
            throw ApiError.badRequest("BATCH_INVALID", "Sign 1 to " + MAX_BATCH + " parts per call; this call asked for " + refs.size() + ".");
        }
        Set<Integer> seen = new HashSet<>();
        for (PartRef ref : refs) {
            if (ref == null || ref.partNumber() == null || ref.partNumber() < 1 || ref.partNumber() > id.partCount()) {
                throw ApiError.badRequest("PART_NUMBER_INVALID", "partNumber must be from 1 to " + id.partCount() + "; was "
                        + (ref == null ? null : ref.partNumber()) + ".");
            }
            if (!seen.add(ref.partNumber())) {
                throw ApiError.badRequest("PART_NUMBER_INVALID", "Part " + ref.partNumber() + " is listed twice.");
            }
            Crc32c.require(ref.crc32c(), "crc32c of part " + ref.partNumber());
        }
        List<SignedPart> signed = new ArrayList<>(refs.size());
        for (PartRef ref : refs) {
            SignedRequest url = signer.uploadPart(id.key(), id.s3UploadId(), ref.partNumber(), id.partLength(ref.partNumber()), ref.crc32c());
            signed.add(new SignedPart(ref.partNumber(), url.url(), url.headers(), url.expiresAt()));
        }
        return ApiResponse.ok(new Response(signed));
    }
}
