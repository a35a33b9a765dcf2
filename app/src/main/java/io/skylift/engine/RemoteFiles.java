package io.skylift.engine;

import io.skylift.engine.TransferException.Reason;
import io.skylift.engine.internal.api.ApiCallException;
import io.skylift.engine.internal.api.BackendClient;
import io.skylift.engine.internal.api.Wire;
import io.skylift.engine.internal.files.DeleteBatch;
import io.skylift.engine.internal.files.Selection;
import io.skylift.engine.internal.files.ServerMove;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Changes to stored files, done by the Skylift API inside storage: delete, move (rename) and restore
 * from an archive. Keys are given as {@link TransferEngine#list} shows them; one ending in '/' is a
 * folder, and then every file below it. The service decides who may do what (delete and move only
 * inside one's own folder, never the shared archive; restore only there, for staff) and checks
 * every key before any change; a refusal keeps its words, never a URL.
 *
 * <p>Every call blocks until done (a large move takes a while: storage copies it in parts) and must
 * not run on a window's event thread. Listings are read a page (at most 1,000 files) at a time, so a
 * folder of any size costs little memory to delete or move; a restore answers a state per file, so it
 * takes at most {@link TransferEngine#MAX_FOLDER_FILES}. Thread-safe.
 *
 * <pre>{@code
 * RemoteFiles files = engine.files();
 * Deletion asked = files.previewDelete(List.of("u/me/old/"));        // "Delete 1,204 files (38 GB)?"
 * Deletion done = files.delete(List.of("u/me/old/"));
 * files.move("u/me/IMG_1.CR3", "u/me/2026/IMG_1.CR3");               // never over an existing file
 * files.restore(List.of("archives/case-4411/"), 7, RestoreTier.STANDARD);
 * }</pre>
 */
public final class RemoteFiles {

    private final TransferEngine engine;
    private final BackendClient api; // null on the direct route

    RemoteFiles(TransferEngine engine, BackendClient api) {
        this.engine = engine;
        this.api = api;
    }

    // ----- delete -----

    /**
     * What {@link #delete} would delete, found by listing: files and bytes, and as failures the keys
     * that name no file or may not be read. Deletes nothing.
     */
    public Deletion previewDelete(List<String> keysOrFolders) {
        Tally counted = new Tally();
        String home = api == null ? null : ownFolder();
        for (String item : Selection.outermost(keysOrFolders)) {
            if (home != null && !item.startsWith(home)) {
                counted.failed.add(notOwn(item));
                continue;
            }
            try {
                eachFile(item, counted::add).ifPresent(counted.failed::add);
            } catch (TransferException refused) {
                if (!refusal(refused)) {
                    throw refused;
                }
                counted.failed.add(new FileFailure(item, codeOf(refused), refused.getMessage()));
            }
        }
        return new Deletion(counted.files, counted.bytes, counted.failed);
    }

    /**
     * Deletes files, and folders with every file below them, in batches of 1,000 files a call. A file
     * the service refuses, or a key that names no file, is in {@link Deletion#failed()}; the others are
     * deleted all the same. A key or folder outside the caller's own folder is refused there and then,
     * unlisted. Each file is deleted once, however many of the keys and folders given name it. With the bucket's versioning on, an administrator can bring a deleted file
     * back for as long as the deployment keeps old versions (30 days by default).
     *
     * @throws TransferException when the listing or the service cannot be reached or refuses the sign-in
     */
    public Deletion delete(List<String> keysOrFolders) {
        return delete(keysOrFolders, null);
    }

    /**
     * As {@link #delete(List)}, but only the files a person was shown: a file stored after
     * {@code countedAt} (the moment before {@link #previewDelete} listed them) was not in the count they
     * agreed to, so it is left in place and named in {@link Deletion#failed()} (code
     * {@code CHANGED_SINCE_COUNTED}). Storage's times have whole seconds and its clock is not this
     * computer's: a file stored within a second or so of the count may fall either side.
     *
     * @param countedAt null to delete whatever the folders hold now
     */
    public Deletion delete(List<String> keysOrFolders, java.time.Instant countedAt) {
        Deleting deleting = new Deleting(service("Deleting"), countedAt);
        String home = ownFolder();
        // A key named twice, or inside a folder also named, would put it twice in a batch, which the service refuses whole.
        for (String item : Selection.outermost(keysOrFolders)) {
            if (!item.startsWith(home)) {
                deleting.done.failed.add(notOwn(item));
                continue;
            }
            try {
                eachFile(item, deleting).ifPresent(deleting.done.failed::add);
            } catch (TransferException refused) {
                if (!refusal(refused)) {
                    throw refused;
                }
                if (item.endsWith("/")) {
                    deleting.done.failed.add(new FileFailure(item, codeOf(refused), refused.getMessage()));
                } else {
                    // Not readable, so not deletable: the delete's own check says so in its words, before any change.
                    deleting.accept(new RemoteEntry(item, false, 0, null, null));
                }
            }
        }
        deleting.flush();
        return new Deletion(deleting.done.files, deleting.done.bytes, deleting.done.failed);
    }

    /** Files and bytes counted, and the failures met; one caller's, not shared. */
    private static final class Tally {
        long files;
        long bytes;
        final List<FileFailure> failed = new ArrayList<>();

        void add(RemoteEntry file) {
            files++;
            bytes += file.size();
        }
    }

    /** Takes files one at a time and deletes them a full batch at a time: a folder of any size holds one batch in memory. */
    private static final class Deleting implements Consumer<RemoteEntry> {
        final BackendClient service;
        final java.time.Instant countedAt;
        final Tally done = new Tally();
        DeleteBatch batch;

        Deleting(BackendClient service, java.time.Instant countedAt) {
            this.service = service;
            this.countedAt = countedAt;
            this.batch = new DeleteBatch(service);
        }

        @Override
        public void accept(RemoteEntry file) {
            if (countedAt != null && file.lastModified() != null && file.lastModified().isAfter(countedAt)) {
                done.failed.add(new FileFailure(file.key(), "CHANGED_SINCE_COUNTED",
                        file.key() + " was stored after the files were counted, so it was not among those you agreed to delete; it is still there."));
                return;
            }
            batch.add(file);
            if (batch.full()) {
                flush();
            }
        }

        void flush() {
            try {
                batch.send();
            } catch (ApiCallException e) {
                throw e.toTransferException();
            }
            done.files += batch.deleted();
            done.bytes += batch.bytes();
            done.failed.addAll(batch.failed());
            batch = new DeleteBatch(service);
        }
    }

    // ----- move -----

    /**
     * Moves (renames) a file or a folder inside one's own folder; storage copies it, checks the copy's
     * size and CRC32C, then deletes the original. Never replaces a file: a target that exists is
     * refused. A file goes to {@code to}, or into it keeping its name when {@code to} ends in '/'. A
     * folder ({@code from} ends in '/') becomes {@code to}, file by file; one that does not move is in
     * {@link Move#failed()} and stays where it was.
     *
     * @throws TransferException the service's refusal of a single file (exists, not yours, archived, ...);
     *                           for a folder, one that is empty or inside its own target
     */
    public Move move(String from, String to) {
        BackendClient service = service("Moving");
        String home = ownFolder();
        if (!from.startsWith(home) || !java.text.Normalizer.normalize(to, java.text.Normalizer.Form.NFC).startsWith(home)) {
            // As the service would refuse it, but before a folder's listing and a refused call for each of its files.
            throw new TransferException(Reason.FORBIDDEN, "You may move files only within your own folder (" + home + ").", false);
        }
        if (!from.endsWith("/")) {
            String target = to.endsWith("/") ? to + from.substring(from.lastIndexOf('/') + 1) : to;
            Wire.MoveState done = moveFile(service, from, target);
            return new Move(from, target, 1, done.size() == null ? 0 : done.size(), List.of());
        }
        String into = to.endsWith("/") ? to : to + "/";
        if (into.startsWith(from)) {
            throw new TransferException(Reason.BAD_REQUEST, "Cannot move " + from + " into itself (" + into + ").", false);
        }
        Tally moved = new Tally();
        Optional<FileFailure> empty;
        try {
            // Each page is listed after the moves of the one before: their sources are gone, the cursor goes on after them.
            empty = eachFile(from, file -> {
                String target = into + file.key().substring(from.length());
                try {
                    moveFile(service, file.key(), target);
                    moved.add(file);
                } catch (TransferException refused) {
                    // This file's refusal (it exists there, changed meanwhile, not movable): the others still go.
                    if (refused.isRetryable() || refused.reason() == Reason.UNAUTHORIZED) {
                        throw refused;
                    }
                    moved.failed.add(new FileFailure(file.key(), codeOf(refused), refused.getMessage()));
                }
            });
        } catch (TransferException stopped) {
            if (moved.files == 0) {
                throw stopped;
            }
            // The caller learns no Move: the words say how far it got, and that moving again does the rest.
            throw new TransferException(stopped.reason(), moved.files + " files of " + from + " were moved to " + into
                    + " before this stopped it: " + stopped.getMessage() + " Move the folder again for the rest.", stopped.isRetryable(), stopped);
        }
        if (empty.isPresent()) {
            throw new TransferException(Reason.NOT_FOUND, empty.get().message(), false);
        }
        return new Move(from, into, moved.files, moved.bytes, moved.failed);
    }

    private static Wire.MoveState moveFile(BackendClient service, String from, String to) {
        try {
            return ServerMove.run(service, from, to);
        } catch (ApiCallException e) {
            // A move whose answer was lost and was sent again is refused (its source went): said as the
            // service says it, never guessed into a success, since a mistyped source would read the same.
            throw e.toTransferException();
        }
    }

    // ----- restore -----

    /**
     * Asks storage to restore archived files for {@code days} (1 to 365) at {@code tier}'s speed; a
     * restored copy then downloads normally until it expires. For a folder, every file below it that is
     * archived, being restored or restored (asking again sets the new expiry); files that are not
     * archived are left out. Asking for a restore already running is no error.
     *
     * @return each file asked for, restoring or already restored
     * @throws TransferException the service's refusal (not archived, not allowed, a tier the storage class lacks);
     *                           BAD_REQUEST, before any restore, for more than {@link TransferEngine#MAX_FOLDER_FILES} files
     */
    public List<RestoreState> restore(List<String> keysOrFolders, int days, RestoreTier tier) {
        if (days < 1 || days > 365) {
            throw new IllegalArgumentException("A restore lasts 1 to 365 days, not " + days);
        }
        BackendClient service = service("Restoring");
        List<String> items = Selection.outermost(keysOrFolders);
        requireAtMostFolderFiles(items);
        List<RestoreState> states = new ArrayList<>();
        for (String item : items) {
            if (!item.endsWith("/")) {
                states.add(restoreFile(service, item, days, tier));
                continue;
            }
            eachFile(item, file -> {
                if (archival(file)) {
                    try {
                        states.add(restoreFile(service, file.key(), days, tier));
                    } catch (TransferException refused) {
                        if (!"NOT_ARCHIVED".equals(codeOf(refused))) {
                            throw refused;
                        }
                    }
                }
            }).ifPresent(empty -> {
                throw new TransferException(Reason.NOT_FOUND, empty.message(), false);
            });
        }
        return states;
    }

    // Every file asked for is answered with its state, so they are counted first: a restore costs money and
    // takes hours, better refused whole than cut short. A listing page is 1,000 files, so this adds a call per 1,000 restores.
    private void requireAtMostFolderFiles(List<String> items) {
        int limit = engine.maxFolderFiles();
        long[] counted = {0};
        for (String item : items) {
            if (!item.endsWith("/")) {
                counted[0]++;
                continue;
            }
            long[] found = {0};
            eachFile(item, file -> {
                if (archival(file) && ++found[0] + counted[0] > limit) {
                    throw TransferEngine.tooManyFiles(found[0] > limit ? item : null, limit, "restore");
                }
            });
            counted[0] += found[0];
        }
        if (counted[0] > limit) {
            throw TransferEngine.tooManyFiles(null, limit, "restore");
        }
    }

    // What the listing says may need a restore; a service from before archives says nothing, and then the storage class tells.
    private static boolean archival(RemoteEntry file) {
        return file.archive().kind() != ArchiveState.Kind.NONE || "GLACIER".equals(file.storageClass())
                || "DEEP_ARCHIVE".equals(file.storageClass());
    }

    private static RestoreState restoreFile(BackendClient service, String key, int days, RestoreTier tier) {
        Wire.Restore answer;
        try {
            answer = service.restore(key, days, tier.wireName());
        } catch (ApiCallException e) {
            throw e.toTransferException();
        }
        return new RestoreState(key, "restored".equals(answer.state()) ? ArchiveState.restored(answer.until()) : ArchiveState.RESTORING);
    }

    // ----- shared -----

    /**
     * Hands {@code item}'s files to {@code each}, a listing page at a time: the file it names, or every
     * file below a folder. Empty when it found some, else why not, as a failure for the item.
     */
    private Optional<FileFailure> eachFile(String item, Consumer<RemoteEntry> each) {
        if (!item.endsWith("/")) {
            Optional<RemoteEntry> file = engine.stored(item);
            file.ifPresent(each);
            return file.isPresent() ? Optional.empty()
                    : Optional.of(new FileFailure(item, "FILE_NOT_FOUND", "There is no file " + item + " (see `skylift ls`)."));
        }
        boolean any = false;
        String cursor = null;
        do {
            TransferEngine.RemotePage page = engine.list(item, false, cursor);
            for (RemoteEntry file : page.entries()) {
                if (!file.folder() && !file.key().endsWith("/") && file.key().startsWith(item)) {
                    any = true;
                    each.accept(file);
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return any ? Optional.empty()
                : Optional.of(new FileFailure(item, "FILE_NOT_FOUND", "There are no files under " + item + " (see `skylift ls`)."));
    }

    // The service refuses such a key too, but only after a folder's listing and then a call per batch of its files.
    private static FileFailure notOwn(String item) {
        return new FileFailure(item, "KEY_FORBIDDEN", item + ": You may delete only files in your own folder.");
    }

    /** The caller's own folder ({@code u/<sub>/}), the only place files may be deleted or moved. */
    private String ownFolder() {
        try {
            return api.home();
        } catch (ApiCallException e) {
            throw e.toTransferException();
        }
    }

    private BackendClient service(String doing) {
        if (api == null) {
            throw new TransferException(Reason.BAD_REQUEST, doing + " files is done by the Skylift API, and direct mode (--bucket)"
                    + " has none: use the AWS console or CLI with your credentials, or connect through the API.", false);
        }
        return api;
    }

    // The service refused this key (malformed, or not the caller's): a matter of the key, not of the connection.
    private static boolean refusal(TransferException e) {
        return e.reason() == Reason.BAD_REQUEST || e.reason() == Reason.FORBIDDEN;
    }

    private static String codeOf(TransferException e) {
        return e.getCause() instanceof ApiCallException call ? call.code() : e.reason().name();
    }
}
