package io.skylift.backend.share;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.skylift.backend.signing.SealedShare;
import java.time.Instant;

/**
 * A share as its owner sees it ({@code POST/GET /v1/shares}). {@code url} is the link: a credential
 * for whoever holds it, never logged ({@link #toString()} leaves it out).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ShareView(String id, String url, String name, String key, String prefix, boolean folder,
                        Instant createdAt, Instant expiresAt) {

    public static ShareView of(SealedShare share, String url) {
        return new ShareView(share.id(), url, share.name(), share.folder() ? null : share.target(),
                share.folder() ? share.target() : null, share.folder(), share.issued(), share.expires());
    }

    @Override
    public String toString() {
        return "Share[" + id + ", " + name + ", url=<hidden>]";
    }
}
