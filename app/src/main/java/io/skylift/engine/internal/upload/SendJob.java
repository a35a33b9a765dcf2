package io.skylift.engine.internal.upload;

import io.skylift.engine.TransferException;
import io.skylift.engine.TransferException.Reason;
import io.skylift.engine.internal.api.ApiCallException;
import io.skylift.engine.internal.api.Wire;
import io.skylift.engine.internal.http.ExpectContinue;
import io.skylift.engine.internal.http.FileRegionBody;
import io.skylift.engine.internal.retry.PartFailure;
import io.skylift.engine.internal.retry.RetryPolicy;
import okhttp3.HttpUrl;
import okhttp3.MediaType;

/**
 * A job on the worker pool that sends one region of the file (a part, or the whole file as a single
 * PUT), and what the retry policy makes of a failed send: a resubmit after a delay (never a sleep in
 * the worker), a new URL, a check of the file, or the end of the transfer. A job runs on one worker
 * at a time (the pool's lock orders its runs), so its counts need no lock of their own.
 */
abstract class SendJob implements Runnable {

    final UploadLane lane;
    private int attempts;
    private int resigns;

    SendJob(UploadLane lane) {
        this.lane = lane;
    }

    /** Sent and confirmed by storage. */
    abstract void stored();

    /** Storage's answer to the send named this checksum of what it stored (null: none); told before {@link #stored()}. */
    void answered(String storedCrc) {
        // parts are checked at complete, from storage's listing
    }

    /** Its URL was refused as expired. */
    abstract void urlExpired();

    /** Storage refused its bytes as corrupted, and the file is unchanged: sign its checksum afresh. */
    abstract void checksumRefused();

    /** "part 3 of a.tif", for messages. */
    abstract String what();

    /** @param mayAsk whether this PUT may ask storage first ({@link ExpectContinue} decides whether it does) */
    final void send(Wire.SignedUrl url, long position, long length, MediaType type, boolean mayAsk) {
        SourceFile source = lane.source();
        ExpectContinue expect = lane.context().expectContinue();
        HttpUrl target = HttpUrl.get(url.url());
        ExpectContinue.Ask ask = mayAsk ? expect.next(target) : ExpectContinue.Ask.NO;
        var body = new FileRegionBody(source.path(), position, length, type, lane::moved, lane.context().throttle());
        RegionPut.Outcome outcome = RegionPut.send(lane.context().http(), target, url.headers(), body, ask, lane::track, lane::untrack);
        if (outcome instanceof RegionPut.Stored(String storedCrc)) {
            expect.stored(target, ask);
            answered(storedCrc);
            stored();
            return;
        }
        long written = body.writtenThisAttempt();
        lane.moved(-written);
        if (outcome instanceof RegionPut.Unanswered) {
            if (lane.stopping()) {
                return;
            }
            // No 100 Continue came in the probe's wait: a path that swallows it, so send again without
            // asking. No body went, and it is no failure of the part, so no attempt is counted.
            expect.unanswered(target);
            lane.submit(this);
            return;
        }
        if (outcome instanceof RegionPut.Failed(PartFailure failure)) {
            if (lane.stopping()) {
                return;
            }
            if (failure.status() >= 400 && failure.status() < 500) {
                expect.refused(target, ask, written > 0);
            }
            if (!failure.isNetwork() || source.stillUnchanged()) {
                decide(failure);
                return;
            }
        }
        // The body is read from the file: a vanished or rewritten file looks like a broken request.
        lane.fail(source.changedDuringUpload());
    }

    private void decide(PartFailure failure) {
        RetryPolicy policy = lane.context().retry();
        attempts++;
        switch (policy.decide(failure, attempts, resigns)) {
            case RetryPolicy.Retry r -> lane.submitAfter(this, r.delay());
            case RetryPolicy.Resign r -> {
                attempts--;
                resigns++;
                urlExpired();
                lane.submit(this);
            }
            case RetryPolicy.Verify v -> {
                if (!lane.source().stillUnchanged()) {
                    lane.fail(lane.source().changedDuringUpload());
                } else if (policy.afterVerified(attempts) instanceof RetryPolicy.Retry r) {
                    checksumRefused();
                    lane.submitAfter(this, r.delay());
                } else {
                    lane.fail(new TransferException(Reason.VERIFICATION, "Storage keeps refusing " + what()
                            + " as corrupted; check the disk, then resume.", true));
                }
            }
            case RetryPolicy.RemoteChanged c -> preconditionFailed(failure);
            // A PUT is never refused for an archive; were it, it is a refusal like any other.
            case RetryPolicy.Archived a -> lane.fail(new TransferException(Reason.UNAVAILABLE, "Upload of " + lane.fileName()
                    + " stopped: storage refused the request (" + failure.describe() + "). It can be resumed.", true));
            case RetryPolicy.GiveUp g -> lane.fail(new TransferException(g.resumable() ? Reason.UNAVAILABLE : Reason.INTERNAL,
                    "Upload of " + lane.fileName() + " stopped: " + g.why() + (g.resumable() ? ". It can be resumed." : "."),
                    g.resumable()));
        }
    }

    /** Storage answered 412: a condition signed into the URL does not hold. Parts carry none, so this is a refusal. */
    void preconditionFailed(PartFailure failure) {
        lane.fail(new TransferException(Reason.INTERNAL, "Upload of " + lane.fileName()
                + " stopped: storage refused the request (" + failure.describe() + ").", false));
    }

    /** A backend call the job needs failed ({@code failedCalls} in a row): run the job again later, or stop. */
    final void callFailed(ApiCallException e, int failedCalls) {
        if (lane.context().api().decide(e, Math.max(1, failedCalls)) instanceof RetryPolicy.Retry r) {
            lane.submitAfter(this, r.delay());
        } else {
            lane.fail(e.toTransferException());
        }
    }
}
