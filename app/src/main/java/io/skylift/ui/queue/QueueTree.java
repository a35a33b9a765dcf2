package io.skylift.ui.queue;

import java.util.List;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.control.TreeItem;

/**
 * The tree the queue's table shows, kept in step with the view model's lists: the queue's lines
 * under a hidden root, and under each folder its files. A folder's file items are made the first
 * time it is opened: a closed folder of 10,000 files costs the table one item.
 */
final class QueueTree {

    private QueueTree() {}

    static TreeItem<QueueEntry> of(QueueViewModel model) {
        TreeItem<QueueEntry> root = new TreeItem<>();
        root.setExpanded(true);
        mirror(model.entries(), root);
        return root;
    }

    private static TreeItem<QueueEntry> item(QueueEntry entry) {
        return entry instanceof FolderRow folder ? new FolderItem(folder) : new TreeItem<>(entry);
    }

    // Each change is replayed at its own place, so adding or clearing rows never rebuilds the rest.
    private static void mirror(ObservableList<? extends QueueEntry> source, TreeItem<QueueEntry> parent) {
        parent.getChildren().setAll(items(source));
        source.addListener((ListChangeListener<QueueEntry>) change -> {
            ObservableList<TreeItem<QueueEntry>> children = parent.getChildren();
            while (change.next()) {
                if (change.wasPermutated()) {
                    children.setAll(items(source));
                    return;
                }
                if (change.wasRemoved()) {
                    children.remove(change.getFrom(), change.getFrom() + change.getRemovedSize());
                }
                if (change.wasAdded()) {
                    children.addAll(change.getFrom(), items(change.getAddedSubList()));
                }
            }
        });
    }

    private static List<TreeItem<QueueEntry>> items(List<? extends QueueEntry> entries) {
        return entries.stream().<TreeItem<QueueEntry>>map(QueueTree::item).toList();
    }

    /** A dropped folder: never a leaf, and its files' items exist once it was opened. */
    private static final class FolderItem extends TreeItem<QueueEntry> {

        private boolean filled;

        FolderItem(FolderRow folder) {
            super(folder);
            expandedProperty().addListener((seen, was, open) -> {
                if (open && !filled) {
                    filled = true;
                    mirror(folder.files(), this);
                }
            });
        }

        @Override
        public boolean isLeaf() {
            return false;
        }
    }
}
