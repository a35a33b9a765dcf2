package io.skylift.engine.internal.retry;

import java.io.IOException;

/**
 * What went wrong with one part (or range) request: a network failure, or an answer from S3
 * with its status and S3 error code.
 */
public record PartFailure(IOException network, int status, String s3Code, String s3Message) {

    public static PartFailure network(IOException e) {
        return new PartFailure(e, 0, null, null);
    }

    public static PartFailure answer(int status, String s3Code, String s3Message) {
        return new PartFailure(null, status, s3Code, s3Message);
    }

    public boolean isNetwork() {
        return network != null;
    }

    /** For logs and messages: never the URL. */
    public String describe() {
        if (network != null) {
            String message = network.getMessage();
            return network.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        }
        return "HTTP " + status + (s3Code == null ? "" : " " + s3Code);
    }
}
