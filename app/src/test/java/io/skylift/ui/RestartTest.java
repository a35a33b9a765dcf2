package io.skylift.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.engine.TransferState;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.Button;
import javafx.stage.WindowEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing during transfers asks, pauses them, and the next start shows them paused, ready to resume. */
class RestartTest {

    @TempDir
    Path dir;
    WindowDriver window;

    @AfterEach
    void close() throws Exception {
        if (window != null) {
            window.close();
        }
    }

    @Test
    void unfinishedTransfersReappearAfterARestartAndComplete() throws Exception {
        Path big = DesktopWindowTest.randomFile(dir, "reception.mov", 80 * 1024 * 1024, 5);
        window = new WindowDriver(dir.resolve("data")).open("--sandbox");
        MainWindow main = window.awaitSignedIn();
        main.session().engine().tune(4, 0, 10_000_000);
        WindowDriver.onFx(() -> main.upload(List.of(big)));
        // Wait until storage holds some of it.
        window.await("a part to be stored", () -> !main.session().engine().unfinished().isEmpty()
                && main.queue().rows().getFirst().fractionProperty().get() > 0.3);

        // As the close button does; the question it asks keeps the FX thread until answered.
        javafx.application.Platform.runLater(() -> window.stage().fireEvent(new WindowEvent(window.stage(), WindowEvent.WINDOW_CLOSE_REQUEST)));
        window.await("the question about running transfers", () -> window.lookup("Pause and quit").tryQuery().isPresent());
        window.clickOn("Pause and quit");
        window.await("the upload to be paused", () -> window.row("reception.mov").transfer().state() == TransferState.PAUSED);
        window.close();

        window = new WindowDriver(dir.resolve("data")).open();
        MainWindow again = window.awaitSignedIn();
        window.await("the unfinished upload in the queue", () -> again.queue().rows().size() == 1);
        assertThat(window.row("reception.mov").stateProperty().get()).isEqualTo(TransferState.PAUSED);
        window.clickOn(window.<Button>node("#resume-all"));
        window.awaitRows(1, s -> s == TransferState.DONE);

        assertThat(again.session().engine().unfinished()).isEmpty();
    }
}
