package io.skylift.ui;

import io.skylift.engine.ArchiveState;
import io.skylift.engine.DownloadPreview;
import io.skylift.engine.IfExists;
import io.skylift.engine.RemoteEntry;
import io.skylift.engine.Transfer;
import io.skylift.engine.TransferEngine;
import io.skylift.engine.TransferException;
import io.skylift.signin.SignOut;
import io.skylift.signin.TokenSource;
import io.skylift.signin.TokenStores;
import io.skylift.ui.browser.BrowserViewModel;
import io.skylift.ui.queue.QueueViewModel;
import io.skylift.ui.settings.AppSettings;
import io.skylift.ui.settings.SettingsStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * What the signed-in window does: plans and starts uploads into the chosen folder, starts
 * downloads, keeps the settings, signs out, and pauses everything once when the window goes. The
 * queue and the remote browser are its parts. Blocking work runs through {@link Background}; the
 * window answers the questions only a person can ({@link #askAboutClashes}) and shows the problems
 * it reports ({@link #onProblem}). JavaFX thread only.
 *
 * <pre>{@code
 * MainViewModel model = new MainViewModel(session, background, store, settings, showSignIn);
 * model.uploadFolderProperty().set("2026-11-22 wedding");
 * model.upload(List.of(Path.of("IMG_0001.CR3")));
 * }</pre>
 */
public final class MainViewModel {

    /** The window's two pages. */
    /** The window's tabs, in their order; SHARES only where links can be made (not on a direct connection). */
    public enum Page { TRANSFERS, FILES, SHARES }

    /** What to do with files whose name is already taken where they would land. Storage never replaces a file. */
    public enum Clash { SKIP, KEEP_BOTH }

    private final Session session;
    private final Background background;
    private final SettingsStore store;
    private final Runnable signedOut;
    private final QueueViewModel queue = new QueueViewModel();
    private final BrowserViewModel browser;
    private final FxProgressBridge bridge;
    private final StringProperty uploadFolder = new SimpleStringProperty("");
    private final ReadOnlyIntegerWrapper connections = new ReadOnlyIntegerWrapper();
    private final ObjectProperty<Page> page = new SimpleObjectProperty<>(Page.TRANSFERS);
    private final ReadOnlyObjectWrapper<AppSettings> settings;
    private final AtomicBoolean shutDown = new AtomicBoolean();
    private Function<List<Path>, Optional<Clash>> clashQuestion = clashing -> Optional.empty();
    private Predicate<DownloadPreview> largeDownloadQuestion = asked -> false;
    private LargeSelection large = LargeSelection.DEFAULT;
    private BiConsumer<String, Throwable> onProblem = (what, e) -> { };

    /** @param signedOut runs on the FX thread after the person signed out, to show the sign-in screen */
    public MainViewModel(Session session, Background background, SettingsStore store, AppSettings settings, Runnable signedOut) {
        this.session = session;
        this.background = background;
        this.store = store;
        this.settings = new ReadOnlyObjectWrapper<>(settings);
        this.signedOut = signedOut;
        this.browser = new BrowserViewModel(session.engine(), background, session.account().readablePrefixes(), session.account().home());
        browser.onProblem((what, e) -> onProblem.accept(what, e));
        connections.set(session.engine().connections());
        // Looked at with each batch of progress (at most ten a second, only while bytes move): the number changes once a second at most.
        this.bridge = new FxProgressBridge(batch -> {
            queue.apply(batch);
            connections.set(session.engine().connections());
        });
        session.engine().addListener(bridge);
        bridge.start();
    }

    /**
     * Shows unfinished work from earlier runs (paused, until "Resume all") and opens the first
     * readable folder. Each restored transfer is a line of its own: the journal does not say which
     * drop it came with. Dropping the folder again gathers them into its line.
     */
    public void open() {
        background.run(() -> session.engine().restoreUnfinished(), queue::add, e -> onProblem.accept("Unfinished transfers", e));
        if (!browser.roots().isEmpty()) {
            browser.open(browser.roots().getFirst());
        }
    }

    public QueueViewModel queue() {
        return queue;
    }

    public BrowserViewModel browser() {
        return browser;
    }

    public Session session() {
        return session;
    }

    /** Connections carrying file bytes now (the engine adds and drops them as they pay), for the status bar. */
    public ReadOnlyIntegerProperty connectionsProperty() {
        return connections.getReadOnlyProperty();
    }

    /** The remote folder new uploads go into; empty for the top of the person's space. */
    public StringProperty uploadFolderProperty() {
        return uploadFolder;
    }

    /** The page shown; starting transfers turns to the queue. */
    public ObjectProperty<Page> pageProperty() {
        return page;
    }

    public ReadOnlyObjectProperty<AppSettings> settingsProperty() {
        return settings.getReadOnlyProperty();
    }

    /** Asked on the FX thread, once per drop, with the files whose names are taken; empty means "start nothing". */
    public void askAboutClashes(Function<List<Path>, Optional<Clash>> question) {
        this.clashQuestion = question;
    }

    /** Told on the FX thread what the person asked for ("Upload", "Sign out", …) and why it could not be done. */
    public void onProblem(BiConsumer<String, Throwable> listener) {
        this.onProblem = listener;
    }

    /**
     * Uploads files and folders into the chosen remote folder, asking once about name clashes. Each
     * dropped folder becomes one line of the queue; files dropped on their own get a line each.
     */
    public void upload(List<Path> paths) {
        String folder = uploadFolder.get() == null ? "" : uploadFolder.get().strip().replaceAll("^/+|/+$", "");
        background.run(() -> Drop.plan(paths, folder, session.account().home(), session.engine()), drop -> {
            List<Path> clashing = drop.clashing();
            Optional<Clash> choice = clashing.isEmpty() ? Optional.of(Clash.KEEP_BOTH) : clashQuestion.apply(clashing);
            choice.ifPresent(clash -> background.run(() -> drop.start(session.engine(), clash == Clash.KEEP_BOTH), this::showStarted,
                    e -> onProblem.accept("Upload", e)));
        }, e -> onProblem.accept("Upload", e));
    }

    /**
     * One drop, planned as the queue will show it: the loose files in one plan, and one plan per
     * folder, so that what each folder started is known. The remote folders listed are the same
     * as for one plan of the whole drop.
     */
    private record Drop(UploadPlan loose, List<Named<UploadPlan>> folders) {

        static Drop plan(List<Path> paths, String folder, String home, TransferEngine engine) {
            List<Path> files = paths.stream().filter(p -> !Files.isDirectory(p)).toList();
            UploadPlan loose = files.isEmpty() ? null : UploadPlan.of(files, folder, home, engine);
            List<Named<UploadPlan>> folders = paths.stream().filter(Files::isDirectory)
                    .map(dir -> new Named<>(dir.getFileName().toString(), UploadPlan.of(List.of(dir), folder, home, engine))).toList();
            return new Drop(loose, folders);
        }

        List<Path> clashing() {
            List<Path> all = new ArrayList<>(loose == null ? List.of() : loose.clashing());
            folders.forEach(plan -> all.addAll(plan.value().clashing()));
            return all;
        }

        Started start(TransferEngine engine, boolean keepBoth) {
            List<Named<List<Transfer>>> started = new ArrayList<>();
            folders.forEach(plan -> started.add(new Named<>(plan.name(), plan.value().start(engine, keepBoth))));
            return new Started(loose == null ? List.of() : loose.start(engine, keepBoth), started);
        }
    }

    private record Named<T>(String name, T value) {}

    /** What one drop or download started: the loose files' transfers, and each folder's. */
    private record Started(List<Transfer> loose, List<Named<List<Transfer>>> folders) {}

    private void showStarted(Started started) {
        started.folders().forEach(folder -> queue.addFolder(folder.name(), folder.value()));
        queue.add(started.loose());
        page.set(Page.TRANSFERS);
    }

    /** Asked on the FX thread with the totals of a download over {@link #askAboutDownloadsOver the threshold}; false starts nothing. */
    public void askBeforeLargeDownloads(Predicate<DownloadPreview> question) {
        this.largeDownloadQuestion = question;
    }

    /** From how many files or bytes a download is asked about first ({@link LargeSelection#DEFAULT} unless set). */
    public void askAboutDownloadsOver(LargeSelection threshold) {
        this.large = threshold;
    }

    /**
     * Starts downloads of files and folders into {@code folder}: a folder becomes {@code
     * folder/<its name>/} with the same tree, one line of the queue. Archived files are refused before
     * anything starts, saying to restore them; a download over the threshold is asked about with its
     * totals. An existing file is kept and the new one renamed; one already there byte for byte is not fetched again.
     */
    public void downloadTo(List<RemoteEntry> entries, Path folder) {
        List<RemoteEntry> archived = entries.stream().filter(e -> !e.folder() && !e.archive().downloadable()).toList();
        if (!archived.isEmpty()) {
            onProblem.accept("Download", notRestored(archived));
        }
        List<RemoteEntry> wanted = entries.stream().filter(e -> e.folder() || e.archive().downloadable()).toList();
        if (wanted.isEmpty()) {
            return;
        }
        List<String> folders = wanted.stream().filter(RemoteEntry::folder).map(RemoteEntry::key).toList();
        List<RemoteEntry> files = wanted.stream().filter(e -> !e.folder()).toList();
        TransferEngine engine = session.engine();
        // The files' sizes are listed already; only folders need counting.
        background.run(() -> folders.isEmpty() ? new DownloadPreview(0, 0, 0) : engine.previewDownload(folders), counted -> {
            DownloadPreview total = new DownloadPreview(counted.files() + files.size(),
                    counted.bytes() + files.stream().mapToLong(RemoteEntry::size).sum(), counted.archived());
            if (large.exceededBy(total.files(), total.bytes()) && !largeDownloadQuestion.test(total)) {
                return;
            }
            background.run(() -> startDownloads(engine, folders, files, folder), this::showStarted, e -> onProblem.accept("Download", e));
        }, e -> onProblem.accept("Download", e));
    }

    // Each folder is one job of its own, so that the queue shows it as one line.
    private static Started startDownloads(TransferEngine engine, List<String> folders, List<RemoteEntry> files, Path into) {
        List<Named<List<Transfer>>> started = new ArrayList<>();
        for (String prefix : folders) {
            String trimmed = prefix.substring(0, prefix.length() - 1);
            started.add(new Named<>(trimmed.substring(trimmed.lastIndexOf('/') + 1), engine.download(List.of(prefix), into, IfExists.RENAME)));
        }
        List<Transfer> loose = files.isEmpty() ? List.of() : engine.download(files.stream().map(RemoteEntry::key).toList(), into, IfExists.RENAME);
        return new Started(loose, started);
    }

    // The words the service says for such a download, said before asking it: no queue line fails for it.
    static TransferException notRestored(List<RemoteEntry> files) {
        RemoteEntry first = files.getFirst();
        boolean restoring = files.stream().allMatch(e -> e.archive().kind() == ArchiveState.Kind.RESTORING);
        String what = files.size() == 1 ? "\"" + first.name() + "\" is " : files.size() + " of the selected files are ";
        String words = restoring
                ? what + "being restored; download " + (files.size() == 1 ? "it" : "them") + " once the state says Restored"
                + " (Refresh shows it)."
                : what + "archived" + (first.storageClass() == null || files.size() > 1 ? "" : " (" + first.storageClass() + ")")
                + " and not downloaded; restore " + (files.size() == 1 ? "it" : "them") + " first with Restore… in the Files tab"
                + " (support staff) or `skylift restore " + first.key() + (files.size() > 1 ? " …" : "") + "`. A restore takes minutes"
                + " to hours (up to 48 for DEEP_ARCHIVE).";
        return new TransferException(TransferException.Reason.ARCHIVED, words, false);
    }

    /** Keeps the settings and applies what the engine can change while it runs. */
    public void changeSettings(AppSettings updated) {
        changeStored(updated);
        session.engine().tune(updated.connections(), updated.partSizeMiB() * 1024L * 1024, updated.bandwidthMBps() * 1_000_000L);
    }

    /**
     * Pauses what runs (nothing is lost), ends a browser sign-in and forgets it here, and forgets
     * the connection in the settings; then shows the sign-in screen.
     */
    public void signOut() {
        shutDown();
        var token = session.engine().settings().token();
        URI api = session.engine().settings().api();
        background.run(() -> {
            if (token instanceof TokenSource source) {
                // Forgetting the sign-in here is what matters; a refresh token the provider kept expires by itself.
                new SignOut(TokenStores.forThisComputer(Session.dataDir())).signOut(api, source.tokens());
            }
            return true;
        }, done -> {
            AppSettings current = settings.get();
            changeStored(current.withConnection(null, current.apiUrl(), null));
            signedOut.run();
        }, e -> onProblem.accept("Sign out", e));
    }

    private void changeStored(AppSettings updated) {
        settings.set(updated);
        store.save(updated);
    }

    /**
     * Pauses every transfer (each records where it is) and lets go of the connection. Once only:
     * closing the window, signing out and the application stopping may all ask.
     */
    public void shutDown() {
        if (shutDown.compareAndSet(false, true)) {
            bridge.stop();
            session.close();
        }
    }
}
