package io.skylift.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.engine.TransferState;
import io.skylift.ui.queue.FolderRow;
import io.skylift.ui.queue.QueueEntry;
import io.skylift.ui.queue.TransferRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableRow;
import javafx.scene.control.TreeTableView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dropped folder is one line of the queue with its totals; it opens to its files, and its buttons act on them all. */
class FolderDropTest {

    static final int MiB = 1024 * 1024;

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
    void aDroppedFolderIsOneLineWithItsCountAndTotalThatOpensToItsFilesAndPausesThemAll() throws Exception {
        Path shoot = Files.createDirectories(dir.resolve("shoot"));
        DesktopWindowTest.randomFile(shoot, "a.jpg", 3 * MiB, 21);
        DesktopWindowTest.randomFile(Files.createDirectories(shoot.resolve("raw")), "b.cr3", 4 * MiB, 22);
        DesktopWindowTest.randomFile(shoot, "c.jpg", 5 * MiB, 23);
        Path loose = DesktopWindowTest.randomFile(dir, "cover.jpg", 4 * MiB, 24);
        window = new WindowDriver(dir.resolve("data")).open("--sandbox");
        MainWindow main = window.awaitSignedIn();
        // Slow enough that the folder is still on its way when its Pause is clicked.
        main.session().engine().tune(4, 0, 1_000_000);

        assertThat(window.dropFiles(window.node("#queue"), List.of(shoot, loose))).as("the window takes the drop").isTrue();
        window.await("the folder and the loose file in the queue", () -> main.queue().entries().size() == 2);
        FolderRow folder = WindowDriver.onFx(() -> main.queue().entries().stream()
                .filter(e -> e instanceof FolderRow).map(FolderRow.class::cast).findFirst().orElseThrow());
        TreeTableView<QueueEntry> queue = window.node("#queue");
        assertThat(WindowDriver.onFx(() -> folder.nameProperty().get())).isEqualTo("shoot");
        assertThat(WindowDriver.onFx(() -> folder.countProperty().get())).isEqualTo("3 files");
        assertThat(WindowDriver.onFx(() -> folder.sizeProperty().get())).isEqualTo(Format.bytes(12L * MiB));
        assertThat(WindowDriver.onFx(() -> folder.files().stream().map(r -> r.nameProperty().get()).toList()))
                .containsExactlyInAnyOrder("a.jpg", "b.cr3", "c.jpg");
        assertThat(WindowDriver.onFx(() -> main.queue().entries().stream().filter(e -> e instanceof TransferRow)
                .map(e -> e.nameProperty().get()).toList())).as("a file dropped on its own keeps a line of its own").containsExactly("cover.jpg");
        assertThat(WindowDriver.onFx(queue::getExpandedItemCount)).as("lines shown while the folder is closed").isEqualTo(2);
        // The rows are in the model before the next pulse draws them.
        window.await("the count beside the folder's name", () -> window.lookup(".folder-count").match(Node::isVisible).tryQuery().isPresent());

        window.clickOn(window.from(rowOf(folder)).lookup(".tree-disclosure-node").<Node>query());
        window.await("the folder open", () -> queue.getExpandedItemCount() == 5);
        List<QueueEntry> under = WindowDriver.onFx(() -> itemOf(queue, folder).getChildren().stream().map(TreeItem::getValue).toList());
        assertThat(under).as("the folder's lines once open").containsExactlyElementsOf(WindowDriver.onFx(folder::files));
        window.await("a file's own line drawn", () -> window.lookup(".tree-table-row-cell").match(n -> n instanceof TreeTableRow<?> r
                && r.getItem() instanceof TransferRow t && t.nameProperty().get().equals("b.cr3")).tryQuery().isPresent());

        TreeTableRow<?> line = rowOf(folder);
        window.clickOn(window.rowButton(() -> window.from(line).lookup(".row-actions .button"), "Pause"));
        window.await("every file of the folder paused", () -> folder.files().stream()
                .allMatch(r -> r.transfer().state() == TransferState.PAUSED && r.stateProperty().get() == TransferState.PAUSED));
        assertThat(WindowDriver.onFx(() -> folder.statusProperty().get())).startsWith("Paused · ");
        assertThat(window.row("cover.jpg").transfer().state()).as("the loose file is not the folder's").isNotEqualTo(TransferState.PAUSED);

        main.session().engine().tune(4, 0, 0);
        TreeTableRow<?> again = rowOf(folder);
        window.clickOn(window.rowButton(() -> window.from(again).lookup(".row-actions .button"), "Resume"));
        window.awaitRows(4, s -> s == TransferState.DONE);
        window.await("the folder's line done", () -> folder.statusProperty().get().equals("Done"));
        assertThat(WindowDriver.onFx(() -> folder.fractionProperty().get())).isEqualTo(1.0);
    }

    private TreeTableRow<?> rowOf(QueueEntry entry) {
        window.await("the line of " + entry.nameProperty().get(), () -> window.lookup(".tree-table-row-cell")
                .match(n -> n instanceof TreeTableRow<?> r && r.getItem() == entry).tryQuery().isPresent());
        return window.lookup(".tree-table-row-cell").match(n -> n instanceof TreeTableRow<?> r && r.getItem() == entry).query();
    }

    private static TreeItem<QueueEntry> itemOf(TreeTableView<QueueEntry> queue, QueueEntry entry) {
        return queue.getRoot().getChildren().stream().filter(i -> i.getValue() == entry).findFirst().orElseThrow();
    }
}
