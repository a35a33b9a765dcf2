package io.skylift.backend.share;

import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.signing.SealedShare;
import io.skylift.backend.signing.ShareSeal;
import java.net.URI;
import java.util.Optional;

/**
 * Turns a share into its link: {@code <base>/s/<token>}. The base is the deployment's public address
 * when configured (a custom domain in front of the API), else the address the request came to: the
 * host API Gateway was reached at (it routes only its own names to this API), the scheme it was
 * reached with, and a named stage's prefix. Thread-safe.
 */
public final class ShareLinks {

    private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile("[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?");

    private final ShareSeal seal;
    private final Optional<URI> base;

    public ShareLinks(ShareSeal seal, Optional<URI> base) {
        this.seal = seal;
        this.base = base;
    }

    /** The link of a share made now: sealed with the current secret. */
    public String url(ApiRequest request, SealedShare share) {
        return base(request) + "/s/" + seal.seal(share);
    }

    /**
     * The link a share was handed out with, sealed with the secret named {@code keyId}; empty once that
     * secret is no longer held, when the link no longer opens (two rotations later).
     */
    public Optional<String> url(ApiRequest request, SealedShare share, String keyId) {
        return Optional.ofNullable(seal.seal(share, keyId)).map(token -> base(request) + "/s/" + token);
    }

    /** The secret new links are sealed with. */
    public String keyId() {
        return seal.currentKeyId();
    }

    private String base(ApiRequest request) {
        if (base.isPresent()) {
            String configured = base.get().toString();
            return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
        }
        String scheme = request.header("x-forwarded-proto").filter(p -> p.equals("http") || p.equals("https")).orElse("https");
        // A Host header of another shape cannot have reached API Gateway; never echo one into a link.
        String host = request.header("host").filter(h -> HOST.matcher(h).matches()).orElse("localhost");
        return scheme + "://" + host + request.stagePrefix();
    }
}
