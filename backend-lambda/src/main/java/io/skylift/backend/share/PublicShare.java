package io.skylift.backend.share;

import io.skylift.backend.http.ApiError;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.signing.SealedShare;
import io.skylift.backend.signing.ShareSeal;
import io.skylift.backend.storage.ShareMarkers;
import io.skylift.backend.storage.StorageFailures;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What both public routes do first: open the token (no storage call for one that does not open), then
 * check that its owner has not revoked it. Every refusal becomes a plain page in a browser's words,
 * naming nothing beyond the share. Thread-safe.
 */
public final class PublicShare {

    private final ShareSeal seal;
    private final ShareMarkers markers;

    public PublicShare(ShareSeal seal, ShareMarkers markers) {
        this.seal = seal;
        this.markers = markers;
    }

    /** Runs {@code work} on the share {@code token} opens, or answers the page saying why it cannot. */
    public ApiResponse answer(String token, Function<SealedShare, ApiResponse> work) {
        try {
            SealedShare share = seal.open(token);
            if (!markers.isLive(share)) {
                throw new ApiError(410, "SHARE_REVOKED", "revoked", false);
            }
            return work.apply(share);
        } catch (ApiError e) {
            return page(e);
        } catch (SdkException e) {
            return page(StorageFailures.map(e));
        }
    }

    private static ApiResponse page(ApiError e) {
        return switch (e.code()) {
            case "SHARE_EXPIRED" -> HtmlPage.notice(410, "This link has expired",
                    "Ask the person who sent it for a new one.");
            case "SHARE_REVOKED" -> HtmlPage.notice(410, "This link was withdrawn",
                    "The person who shared it has stopped sharing. Ask them for a new link if you still need the files.");
            case "SHARE_NOT_FOUND" -> HtmlPage.notice(404, "This link does not work",
                    "Check that it was copied whole, or ask the person who sent it for a new one.");
            case "FILE_NOT_FOUND" -> HtmlPage.notice(404, "There is no such file here",
                    "It may have been moved or deleted since the link was made.");
            case "OBJECT_ARCHIVED", "RESTORE_IN_PROGRESS" -> HtmlPage.notice(409, "This file is archived",
                    "It must be restored before it can be downloaded; ask the person who shared it.");
            default -> e.status() >= 500 || e.isRetryable()
                    ? HtmlPage.notice(503, "Please try again in a minute", "The service could not answer just now.")
                    : HtmlPage.notice(404, "This link does not work", "Ask the person who sent it for a new one.");
        };
    }

    /** A file the page cannot name: the same answer as a file that is not there. */
    public static ApiError noSuchFile() {
        return ApiError.notFound("FILE_NOT_FOUND", "no such file in this share");
    }
}
