package io.skylift.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The instrument the window's responsiveness figures rely on: a pause it does not see would hide nothing, one it invents would excuse a stall. */
class MachinePausesTest {

    @Test
    void aStopOfTheWholeProcessIsSeenAsAPauseAndExplainsTheDelayItCaused() throws Exception {
        try (MachinePauses pauses = MachinePauses.watch()) {
            Thread.sleep(200);
            assertThat(pauses.totalMs()).as("an idle machine pauses little").isLessThan(100);
            double before = pauses.totalMs();
            // What a virtual machine's stolen cores look like to a process: nothing of it runs for a while.
            long stopped = System.nanoTime();
            signal("STOP", pauses.pid());
            Thread.sleep(150);
            signal("CONT", pauses.pid());
            long resumed = System.nanoTime();
            pauses.settle();

            assertThat(pauses.longestMs()).isGreaterThanOrEqualTo(120);
            assertThat(pauses.totalMs() - before).isGreaterThanOrEqualTo(120);
            assertThat(pauses.unexplained(stopped, resumed) / 1e6).as("ms of the stop not explained").isLessThan(40);
            long later = System.nanoTime();
            Thread.sleep(100);
            assertThat(pauses.unexplained(later, System.nanoTime()) / 1e6).as("a time without a pause is not excused").isGreaterThan(90);
        }
    }

    private static void signal(String name, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + name, String.valueOf(pid)).start().waitFor()).isZero();
    }
}
