package io.skylift.engine;

import java.net.URI;
import java.util.Locale;

/**
 * A bucket reached straight with the person's own AWS credentials, without the Skylift API.
 *
 * @param bucket    the bucket; keys are used as given, with no per-person space
 * @param profile   a named profile from {@code ~/.aws/config} or {@code ~/.aws/credentials} (SSO
 *                  included), or null for the SDK's default chain
 * @param region    the bucket's region, or null for the profile's or environment's
 * @param endpoint  an S3-compatible server instead of AWS (addressed path-style), or null
 */
public record DirectTarget(String bucket, String profile, String region, URI endpoint) {

    public DirectTarget {
        if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("'" + bucket + "' is not an S3 bucket name (3-63 lowercase letters, digits, dots, dashes).");
        }
        if (profile != null && profile.isBlank()) {
            profile = null;
        }
        if (region != null && region.isBlank()) {
            region = null;
        }
        if (endpoint != null && (endpoint.getScheme() == null || !endpoint.getScheme().toLowerCase(Locale.ROOT).startsWith("http"))) {
            throw new IllegalArgumentException("'" + endpoint + "' is not an http(s) URL.");
        }
    }

    /** Where the journal says a transfer went: transfers resume only through the same bucket and server. */
    public String journalName() {
        return "s3://" + bucket + (endpoint == null ? "" : "@" + endpoint.getAuthority());
    }
}
