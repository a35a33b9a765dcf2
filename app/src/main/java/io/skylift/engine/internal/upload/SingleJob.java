package io.skylift.engine.internal.upload;

import io.skylift.engine.internal.api.ApiCallException;
import io.skylift.engine.internal.api.Wire;
import io.skylift.engine.internal.retry.PartFailure;
import okhttp3.MediaType;

/**
 * A file smaller than one part, sent as one PUT on the worker pool like a part, so the connection
 * limit bounds small files too. Its URL comes from create (with the whole file's CRC32C signed in),
 * so an expired one is replaced by a new create, made once per run of the job.
 */
final class SingleJob extends SendJob {

    private final Wire.CreateUpload request;
    private volatile Wire.CreatedUpload created;
    private volatile String storedChecksum;
    private boolean needsNewUrl;
    private int failedCreates;

    SingleJob(UploadLane lane, Wire.CreatedUpload created, Wire.CreateUpload request) {
        super(lane);
        this.created = created;
        this.request = request;
    }

    /** The upload as last created: the one to complete. */
    Wire.CreatedUpload created() {
        return created;
    }

    @Override
    public void run() {
        if (lane.stopping()) {
            return;
        }
        if (needsNewUrl) {
            try {
                created = lane.context().api().oneAttempt().createUpload(request);
                needsNewUrl = false;
                failedCreates = 0;
            } catch (ApiCallException e) {
                callFailed(e, ++failedCreates);
                return;
            }
        }
        Wire.SignedUrl url = created.single();
        String type = url.headers().getOrDefault("Content-Type", "application/octet-stream");
        send(url, 0, lane.source().local().size(), MediaType.get(type), false);
    }

    /** The CRC32C storage's answer to the PUT named; null when the answer named none or was lost. */
    String storedChecksum() {
        return storedChecksum;
    }

    @Override
    void answered(String storedCrc) {
        storedChecksum = storedCrc;
    }

    @Override
    void stored() {
        lane.partDone();
    }

    // The PUT carries If-None-Match: *, so the key holds an object now: this file, sent by an earlier
    // try whose answer was lost, or someone else's. Completing lets the backend's check of the stored
    // object decide: done when it is this file, "a different file is stored there" when not.
    @Override
    void preconditionFailed(PartFailure failure) {
        stored();
    }

    @Override
    void urlExpired() {
        needsNewUrl = true;
    }

    @Override
    void checksumRefused() {
        // Signed into the URL at create; the file is unchanged, so it still holds.
    }

    @Override
    String what() {
        return lane.fileName();
    }
}
