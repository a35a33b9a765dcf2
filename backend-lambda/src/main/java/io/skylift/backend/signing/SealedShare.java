package io.skylift.backend.signing;

import java.time.Instant;

/**
 * What a share link's token carries under its seal: who shared what, until when. The backend trusts
 * these fields only after {@link ShareSeal#open} has checked the seal; anyone holding the token learns
 * none of them (the token is encrypted, not only signed).
 *
 * @param id      names the share to its owner (listing, revoking) and its marker in the bucket
 * @param subject the owner, whose marker folder holds the share's marker
 * @param target  the key shared, or a folder's prefix ending in '/'
 */
public record SealedShare(String id, String subject, String target, Instant issued, Instant expires) {

    public boolean folder() {
        return target.endsWith("/");
    }

    /**
     * What the page is titled: the file's name, or the folder's ending in '/'. A share of a person's whole
     * folder ({@code u/<subject>/}) would be titled with the subject, which no page may show.
     */
    public String name() {
        if (target.equals("u/" + subject + "/")) {
            return "Shared files/";
        }
        String trimmed = folder() ? target.substring(0, target.length() - 1) : target;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1) + (folder() ? "/" : "");
    }

    @Override
    public String toString() {
        return "SealedShare[" + id + ", until " + expires + "]";
    }
}
