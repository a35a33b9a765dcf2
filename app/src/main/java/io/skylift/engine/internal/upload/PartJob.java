package io.skylift.engine.internal.upload;

import io.skylift.engine.TransferException;
import io.skylift.engine.internal.api.ApiCallException;
import io.skylift.engine.internal.api.Wire;
import java.io.IOException;

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
        try {
            url = urls.urlFor(part);
        } catch (ApiCallException e) {
            callFailed(e, urls.failedCalls());
            return;
        } catch (TransferException e) {
            lane.fail(e);
            return;
        } catch (IOException e) {
            lane.fail(lane.source().readFailure(e));
            return;
        }
        send(url, position, length, null, true);
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
