package io.skylift.ui.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.ui.queue.QueueViewModel.BatchDone;
import org.junit.jupiter.api.Test;

/** The notice shown when nothing runs any more says what the queue holds, and never "all done" when it is not. */
class BatchDoneTest {

    @Test
    void onlyAQueueWithNothingLeftOverIsAllDone() {
        assertThat(new BatchDone(40, 0, 0, 0).message()).isEqualTo("All transfers are done.");
        assertThat(new BatchDone(40, 0, 0, 0).needsAttention()).isFalse();
    }

    @Test
    void transfersThePersonPausedAreCountedButNeedNoAttention() {
        BatchDone done = new BatchDone(39, 0, 0, 1);

        assertThat(done.message()).isEqualTo("39 done · 1 paused.");
        assertThat(done.needsAttention()).isFalse();
    }

    @Test
    void failuresAndPausesCausedByAProblemSendThePersonToTheQueue() {
        BatchDone done = new BatchDone(37, 1, 2, 0);

        assertThat(done.message()).isEqualTo("37 done · 1 failed · 2 stopped by a problem: see the queue.");
        assertThat(done.needsAttention()).isTrue();
    }
}
