package io.skylift.ui;


import com.sun.javafx.scene.input.DragboardHelper;
import com.sun.javafx.tk.TKClipboard;
import io.skylift.engine.TransferState;
import io.skylift.ui.queue.TransferRow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javafx.application.Platform;
import javafx.event.Event;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.image.Image;
import javafx.scene.input.DataFormat;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;
import javafx.stage.Stage;
import javafx.util.Pair;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Drives the real Skylift window (started as the application itself, under Xvfb in CI) with a data
 * folder of its own, as a person would: clicks, typing, and waiting for what the window shows.
 */
final class WindowDriver extends FxRobot implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(90);

    private final Path dataDir;
    private DesktopApp app;

    WindowDriver(Path dataDir) {
        this.dataDir = dataDir;
    }

    WindowDriver open(String... args) throws Exception {
        System.setProperty("skylift.dataDir", dataDir.toString());
        FxToolkit.registerPrimaryStage();
        app = (DesktopApp) FxToolkit.setupApplication(DesktopApp.class, args);
        return this;
    }

    Stage stage() {
        return (Stage) window(w -> w instanceof Stage s && s.getTitle() != null && s.getTitle().startsWith("Skylift"));
    }

    MainWindow main() {
        return onFx(() -> app.main());
    }

    /** Waits for the signed-in window. */
    MainWindow awaitSignedIn() {
        await("the signed-in window", () -> app.main() != null);
        // Laid out and drawn, so that its controls can be clicked (a busy machine may lag a pulse).
        await("the signed-in window laid out", () -> app.main().getScene() != null && app.main().getWidth() > 0
                && app.main().lookup("#upload-folder") != null && app.main().lookup("#upload-folder").getLayoutBounds().getWidth() > 0);
        WaitForAsyncUtils.waitForFxEvents();
        return main();
    }

    <T extends Node> T node(String query) {
        return lookup(query).query();
    }

    void await(String what, Callable<Boolean> condition) {
        try {
            // A condition about something not there yet (a row still being added) is simply not met yet.
            WaitForAsyncUtils.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS, () -> onFx(() -> {
                try {
                    return condition.call();
                } catch (java.util.NoSuchElementException notYet) {
                    return false;
                }
            }));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("Waited " + PATIENCE.toSeconds() + " s for " + what);
        }
    }

    void awaitRows(int count, Predicate<TransferState> state) {
        await(count + " rows in state " + state, () -> main().queue().rows().size() >= count
                && main().queue().rows().stream().filter(r -> state.test(r.stateProperty().get())).count() >= count);
    }

    /**
     * Drops files on {@code target} as the toolkit delivers a drop from a file manager: a drag over,
     * which the window must accept, the drop, then the exit, all carrying a dragboard that holds the files.
     * Returns whether the window reported the drop as completed.
     */
    boolean dropFiles(Node target, List<Path> files) {
        return onFx(() -> {
            Dragboard board = DragboardHelper.createDragboard(new FileManagerDrag(files));
            Bounds onScreen = target.localToScreen(target.getLayoutBounds());
            Bounds inScene = target.localToScene(target.getLayoutBounds());
            DragEvent over = new DragEvent(DragEvent.DRAG_OVER, board, inScene.getCenterX(), inScene.getCenterY(),
                    onScreen.getCenterX(), onScreen.getCenterY(), TransferMode.COPY, null, null, null);
            Event.fireEvent(target, over);
            if (over.getAcceptedTransferMode() != TransferMode.COPY) {
                return false;
            }
            DragEvent drop = new DragEvent(DragEvent.DRAG_DROPPED, board, inScene.getCenterX(), inScene.getCenterY(),
                    onScreen.getCenterX(), onScreen.getCenterY(), TransferMode.COPY, null, null, null);
            Event.fireEvent(target, drop);
            // The gesture ends by leaving every node it was over, as the toolkit does after a drop.
            for (Node node = target; node != null; node = node.getParent()) {
                Event.fireEvent(node, new DragEvent(DragEvent.DRAG_EXITED, board, inScene.getCenterX(), inScene.getCenterY(),
                        onScreen.getCenterX(), onScreen.getCenterY(), TransferMode.COPY, null, null, null));
            }
            return drop.isDropCompleted();
        });
    }

    /** What a file manager offers when files are dragged out of it: the files, to copy, move or link. */
    private record FileManagerDrag(List<Path> files) implements TKClipboard {
        @Override
        public Set<DataFormat> getContentTypes() {
            return Set.of(DataFormat.FILES);
        }

        @Override
        @SafeVarargs
        public final boolean putContent(Pair<DataFormat, Object>... content) {
            throw new UnsupportedOperationException("a drop target only reads");
        }

        @Override
        public Object getContent(DataFormat format) {
            return DataFormat.FILES.equals(format) ? files.stream().map(Path::toFile).toList() : null;
        }

        @Override
        public boolean hasContent(DataFormat format) {
            return DataFormat.FILES.equals(format);
        }

        @Override
        public Set<TransferMode> getTransferModes() {
            return Set.of(TransferMode.COPY, TransferMode.MOVE, TransferMode.LINK);
        }

        @Override
        public void setDragView(Image image) {
        }

        @Override
        public void setDragViewOffsetX(double offsetX) {
        }

        @Override
        public void setDragViewOffsetY(double offsetY) {
        }

        @Override
        public Image getDragView() {
            return null;
        }

        @Override
        public double getDragViewOffsetX() {
            return 0;
        }

        @Override
        public double getDragViewOffsetY() {
            return 0;
        }
    }

    /**
     * Waits for the queue's button labelled {@code label} (its accessible text) that a person can
     * see, and returns it: the table keeps cells off screen for measuring and reuse, whose buttons
     * are there but not shown.
     */
    javafx.scene.control.Button rowButton(String label) {
        return rowButton(() -> lookup(".row-actions .button"), label);
    }

    /** The same among the buttons {@code buttons} finds, e.g. those of one line. */
    javafx.scene.control.Button rowButton(java.util.function.Supplier<org.testfx.service.query.NodeQuery> buttons, String label) {
        Predicate<Node> wanted = b -> label.equals(((javafx.scene.control.Button) b).getAccessibleText()) && shown(b);
        await("a " + label + " button shown", () -> buttons.get().match(wanted).tryQuery().isPresent());
        return buttons.get().match(wanted).query();
    }

    private static boolean shown(Node node) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        return node.getScene() != null;
    }

    TransferRow row(String name) {
        return onFx(() -> main().queue().rows().stream().filter(r -> name.equals(r.nameProperty().get())).findFirst().orElseThrow());
    }

    static <T> T onFx(Callable<T> work) {
        if (Platform.isFxApplicationThread()) {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            return WaitForAsyncUtils.asyncFx(work).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void onFx(Runnable work) {
        onFx(() -> {
            work.run();
            return null;
        });
    }

    /** Closes the window as a person would (answering the close dialog with its default is the test's job). */
    @Override
    public void close() throws java.util.concurrent.TimeoutException {
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
    }
}
