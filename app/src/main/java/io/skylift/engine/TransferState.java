package io.skylift.engine;

/**
 * Where a transfer is in its life. {@link #DONE}, {@link #FAILED} and {@link #CANCELLED} are terminal;
 * a {@link #PAUSED} transfer keeps everything it sent and can be resumed, also after a restart.
 */
public enum TransferState {
    QUEUED,
    RUNNING,
    PAUSED,
    VERIFYING,
    DONE,
    FAILED,
    CANCELLED;

    public boolean isTerminal() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }
}
