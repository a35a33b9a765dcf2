package io.skylift.engine.internal.upload;

import io.skylift.engine.TransferException;
import io.skylift.engine.internal.api.ApiCallException;
import io.skylift.engine.internal.api.Wire;
import java.io.IOException;
import io.skylift.engine.internal.retry.RetryPolicy;
import java.time.Duration;

/**
 * One part of a multipart upload: its URL from the {@link UrlBook} (signed just in time, with its
 * checksum), then one PUT with {@code Expect: 100-continue}, so a refusal costs no body.
 */
final class PartJob extends SendJob {

    private final int part;
    private final long position;
    private final long length;
    private final UrlBook urls;

    PartJob(UploadLane lane, int part, long position, long length, UrlBook urls) {
        super(lane);
        this.part = part;
        this.position = position;
        this.length = length;
        this.urls = urls;
    }

    @Override
    public void run() {
        if (lane.stopping()) {
            return;
        }
        Wire.SignedUrl url;
        var back = lane.requeue(this);
        try {
            // The other job's batch failing is its failure, with its backoff; this job then tries itself.
            url = urls.urlFor(part, failure -> back.after(failure instanceof ApiCallException e
                    && lane.context().api().decide(e, Math.max(1, urls.failedCalls())) instanceof RetryPolicy.Retry r
                    ? r.delay() : Duration.ZERO));
        } catch (IOException | RuntimeException e) {
            signingFailed(e);
            return;
        }
        if (url == null) {
            return; // another job is signing a batch; this one comes back when it is done
        }
        send(url, position, length, null, true);
    }

    private void signingFailed(Throwable failure) {
        switch (failure) {
            case ApiCallException e -> callFailed(e, urls.failedCalls());
            case TransferException e -> lane.fail(e);
            case IOException e -> lane.fail(lane.source().readFailure(e));
            default -> lane.fail(new TransferException(TransferException.Reason.INTERNAL, "Cannot sign " + what() + ": " + failure
                    + ". It can be resumed.", true, failure));
        }
    }

    @Override
    void stored() {
        lane.partSent(part);
    }

    @Override
    void urlExpired() {
        urls.invalidate(part);
    }

    @Override
    void checksumRefused() {
        lane.checksumRefused(part);
    }

    @Override
    String what() {
        return "part " + part + " of " + lane.fileName();
    }
}
