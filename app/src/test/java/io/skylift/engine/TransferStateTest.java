package io.skylift.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.engine.TransferState.Action;
import io.skylift.engine.internal.Lifecycle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransferStateTest {

    @Test
    void theTableLetsATransferRunPauseResumeAndFinishButNeverLeaveTheEnd() {
        assertThat(TransferState.QUEUED.canMoveTo(TransferState.RUNNING)).isTrue();
        assertThat(TransferState.RUNNING.canMoveTo(TransferState.VERIFYING)).isTrue();
        assertThat(TransferState.VERIFYING.canMoveTo(TransferState.DONE)).isTrue();
        assertThat(TransferState.PAUSED.canMoveTo(TransferState.QUEUED)).isTrue();
        assertThat(TransferState.FAILED.canMoveTo(TransferState.QUEUED)).isTrue();

        assertThat(TransferState.PAUSED.canMoveTo(TransferState.RUNNING)).as("a resume waits for a slot first").isFalse();
        assertThat(TransferState.QUEUED.canMoveTo(TransferState.DONE)).isFalse();
        for (TransferState next : TransferState.values()) {
            assertThat(TransferState.DONE.canMoveTo(next)).isFalse();
            assertThat(TransferState.CANCELLED.canMoveTo(next)).isFalse();
        }
    }

    @Test
    void theActionsOfferedAreExactlyTheMovesThatCanHappen() {
        for (TransferState state : TransferState.values()) {
            assertThat(state.allows(Action.RESUME) || state.allows(Action.RETRY)).as(state.name())
                    .isEqualTo(state.canMoveTo(TransferState.QUEUED));
            assertThat(state.allows(Action.CANCEL)).as(state.name())
                    .isEqualTo(state.canMoveTo(TransferState.CANCELLED) && state != TransferState.VERIFYING);
        }
        assertThat(TransferState.PAUSED.actions()).containsExactlyInAnyOrder(Action.RESUME, Action.CANCEL);
        assertThat(TransferState.FAILED.actions()).containsExactly(Action.RETRY);
        assertThat(TransferState.RUNNING.actions()).containsExactlyInAnyOrder(Action.PAUSE, Action.CANCEL);
    }

    @Test
    void aLifecycleRefusesAMoveTheTableDoesNotHaveAndAnnouncesOnlyThoseItMade() {
        Lifecycle lifecycle = new Lifecycle();
        List<TransferState> announced = new ArrayList<>();
        lifecycle.announceTo((state, reason, after) -> announced.add(state));

        assertThat(lifecycle.moveTo(TransferState.RUNNING, null)).as("not queued yet").isFalse();
        assertThat(lifecycle.moveTo(TransferState.QUEUED, null)).isTrue();
        assertThat(lifecycle.moveTo(TransferState.RUNNING, null)).isTrue();
        assertThat(lifecycle.moveTo(TransferState.DONE, null)).isTrue();
        assertThat(lifecycle.moveTo(TransferState.QUEUED, null)).as("done is done").isFalse();
        assertThat(lifecycle.moveTo(TransferState.DONE, null)).as("announced once").isFalse();

        assertThat(announced).containsExactly(TransferState.QUEUED, TransferState.RUNNING, TransferState.DONE);
        assertThat(lifecycle.state()).isEqualTo(TransferState.DONE);
    }
}
