package io.skylift.engine.internal.files;

import io.skylift.engine.TransferException;
import io.skylift.engine.TransferException.Reason;
import io.skylift.engine.internal.api.ApiCallException;
import io.skylift.engine.internal.api.BackendClient;
import io.skylift.engine.internal.api.Wire;

/**
 * One file moved inside storage by the service, never through this computer: one call up to 5 GiB;
 * above, a copy in parts that the service does a slice of per call, continued until done. A copy
 * that stops advancing ({@value #MAX_STALLED} calls in a row without a new part) or fails is given
 * up, its parts freed: the source stays where it was. Stateless and thread-safe.
 *
 * <pre>{@code
 * Wire.MoveState done = ServerMove.run(api, "u/me/a.mp4", "u/me/clips/a.mp4");
 * }</pre>
 */
public final class ServerMove {

    /** Continue calls in a row that copy no new part before the move is given up. */
    static final int MAX_STALLED = 5;

    private ServerMove() {}

    /**
     * Moves {@code from} to {@code to}; the answer says "done" with the size and checksum.
     *
     * @throws ApiCallException the service's refusal (the target exists, not yours, ...)
     */
    public static Wire.MoveState run(BackendClient api, String from, String to) {
        Wire.MoveState state = api.move(from, to);
        String id = state.id();
        int stalled = 0;
        while ("copying".equals(state.state())) {
            Wire.MoveState next;
            try {
                next = api.continueMove(id);
            } catch (RuntimeException e) {
                abandon(api, id);
                throw e;
            }
            stalled = done(next) <= done(state) && "copying".equals(next.state()) ? stalled + 1 : 0;
            if (stalled == MAX_STALLED) {
                abandon(api, id);
                throw new TransferException(Reason.UNAVAILABLE, "The move of " + from + " copied nothing in " + MAX_STALLED
                        + " calls in a row; it was given up and the file is where it was. Try again later.", true);
            }
            state = next;
            if (next.id() != null) {
                id = next.id();
            }
        }
        if (!"done".equals(state.state())) {
            throw new TransferException(Reason.INTERNAL, "The service answered the move of " + from + " with the state \""
                    + state.state() + "\", which this version does not know.", false);
        }
        return state;
    }

    private static int done(Wire.MoveState state) {
        return state.partsDone() == null ? 0 : state.partsDone();
    }

    // The parts copied so far are freed; the source was never touched. A failure here changes nothing for the person.
    private static void abandon(BackendClient api, String id) {
        try {
            api.abortMove(id);
        } catch (RuntimeException ignored) {
            // storage's lifecycle rule frees abandoned parts in the end
        }
    }
}
