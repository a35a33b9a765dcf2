package io.skylift.engine.internal.upload;

import io.skylift.engine.TransferException;
import io.skylift.engine.internal.EngineContext;
import java.time.Duration;
import okhttp3.Call;

/**
 * What a send job reaches of its upload: the upload's lane in the worker pool, its byte counter,
 * its part count and its failure. Implemented by {@link Upload}'s run; thread-safe.
 */
interface UploadLane {

    EngineContext context();

    SourceFile source();

    /** The remote file name, for messages. */
    String fileName();

    void submit(Runnable job);

    void submitAfter(Runnable job, Duration delay);

    /** See {@link io.skylift.engine.internal.TransferRun#requeue}. */
    io.skylift.engine.internal.TransferRun.Requeue requeue(Runnable job);

    /** Storage confirmed part {@code part} of a multipart upload: record it, and count it done. */
    void partSent(int part);

    /** Storage refused part {@code part} as corrupted though the file is unchanged: checksum it again. */
    void checksumRefused(int part);

    /** The job is done for good: one part fewer to wait for. */
    void partDone();

    /** The transfer cannot go on: stop it with this reason. */
    void fail(TransferException e);

    boolean stopping();

    void moved(long bytes);

    void track(Call call);

    void untrack(Call call);
}
