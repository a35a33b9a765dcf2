package io.skylift.engine.internal.download;

import io.skylift.engine.Direction;
import io.skylift.engine.IfExists;
import io.skylift.engine.TransferException;
import io.skylift.engine.internal.EngineContext;
import io.skylift.engine.internal.TransferRun;
import io.skylift.engine.internal.journal.JournalEntry;
import java.nio.file.Path;
import java.time.Instant;

/**
 * What a download is on either route before and after its flow: until it has a plan (the object
 * looked at, a temporary file made) the journal holds only what was asked; cancelled, or failed
 * because of the object or the target, it leaves no partial file behind.
 */
public abstract class DownloadRun extends TransferRun {

    protected final String remoteKey;
    protected final Path folder;
    protected final IfExists ifExists;
    /** A downloaded folder's file: its local name, checked usable as it is; null for a download by key. */
    protected final String localName;
    private final String routeName;
    private final boolean direct;

    /**
     * @param localName for a file of a downloaded folder, its local name (see {@code LocalTree});
     *                  such a download takes an identical local file for done. Null for a download by key.
     * @param routeName what journal entries call the route: the API's address, or the bucket's
     * @param direct    true on the direct route
     */
    protected DownloadRun(EngineContext context, String id, String key, Path folder, IfExists ifExists, String localName,
                          String name, long size, String routeName, boolean direct) {
        super(context, id, Direction.DOWNLOAD, name, size);
        this.remoteKey = key;
        this.folder = folder;
        this.ifExists = ifExists;
        this.localName = localName;
        this.routeName = routeName;
        this.direct = direct;
    }

    /** The file's local name before its plan: the folder file's own, else the key's last segment made safe. */
    protected final String localNameBeforePlan() {
        return localName != null ? localName : Placement.safeName(name());
    }

    /** Removes the partial file and the journal entry. */
    protected abstract void discardPartial();

    @Override
    public final String key() {
        return remoteKey;
    }

    /** Journals the download as asked for, with why it stopped if it did: it has no plan yet. */
    public final void journalAsked(String why) {
        writeJournal(askedEntry(Instant.now(context.clock()), why));
    }

    /**
     * What {@link #journalAsked} writes, made at {@code at}, for a caller that journals many in one
     * write ({@code Journal.savePlanned}).
     */
    public final JournalEntry.QueuedDownload askedEntry(Instant at, String why) {
        return new JournalEntry.QueuedDownload(JournalEntry.VERSION, id(), routeName, name(), remoteKey, folder.toString(),
                ifExists, at, why, direct, localName);
    }

    @Override
    protected final void cancelled() {
        discardPartial();
    }

    // Failed because of the object or the target (it changed or went, the copy did not verify, the
    // name is taken): a partial could only mislead. A refused sign-in or permission keeps it, so
    // the download resumes once the person signs in again.
    @Override
    protected final void failed(TransferException why) {
        if (Placement.endsTheDownload(why)) {
            discardPartial();
        }
    }
}
