package io.skylift.engine.internal;

/** Unwinds a transfer's flow when someone paused or cancelled it; not an error. */
public final class Stopped extends RuntimeException {

    /** Why the flow stopped. */
    public enum Kind { PAUSE, CANCEL }

    private final Kind kind;

    public Stopped(Kind kind) {
        super(kind.name(), null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
