package io.skylift.engine;

import java.time.Duration;

/**
 * A snapshot of one transfer's progress, published at most about ten times a second.
 *
 * @param bytesDone      bytes written to the network (upload) or to disk (download) and not since
 *                       lost to a failed attempt; includes what a resume found already done
 * @param bytesPerSecond recent rate, 0 when unknown
 * @param eta            null when unknown (no rate yet, or not running)
 * @param reason         why the transfer is paused or failed, in words for the user; null otherwise
 * @param sequence       the event's place in the engine's one ordered stream of events: a later event
 *                       always has a larger number; 0 for a snapshot asked for with
 *                       {@link Transfer#progress()} rather than published
 */
public record Progress(String transferId, Direction direction, String name, TransferState state, long bytesDone,
                       long bytesTotal, long bytesPerSecond, Duration eta, String reason, long sequence) {

    public double fraction() {
        return bytesTotal == 0 ? (state == TransferState.DONE ? 1 : 0) : (double) bytesDone / bytesTotal;
    }
}
