package io.skylift.engine;

import java.time.Instant;

/**
 * A share link to a file or a folder: anyone with {@link #url()} may open its page and download what
 * it shares until {@link #expiresAt()}, or until its owner revokes it. The URL is a credential like a
 * password: show it only where the person asked for it; {@link #toString()} leaves it out.
 *
 * @param id     names the share to {@link Shares#revoke}; not a secret
 * @param name   what the page is titled: the file's name, or the folder's ending in '/'
 * @param target the key shared, or the folder's prefix ending in '/'
 */
public record Share(String id, String url, String name, String target, boolean folder, Instant createdAt,
                    Instant expiresAt) {

    @Override
    public String toString() {
        return "Share[" + id + ", " + name + ", until " + expiresAt + "]";
    }
}
