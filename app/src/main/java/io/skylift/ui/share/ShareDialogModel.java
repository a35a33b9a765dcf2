package io.skylift.ui.share;

import io.skylift.engine.Share;
import io.skylift.engine.Shares;
import io.skylift.ui.Background;
import io.skylift.ui.ErrorReport;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;

/**
 * Making one share link: how long it works (one of {@link #EXPIRIES}, a week unless chosen), then
 * {@link #create}, which asks the service off the FX thread; the link made, or the service's words
 * when it refused. A refused link can be asked for again, say with a shorter expiry. JavaFX thread only.
 *
 * <pre>{@code
 * ShareDialogModel link = shares.dialogFor("u/me/shoot/", "shoot/");
 * link.expiryProperty().set(Duration.ofDays(30));
 * link.create();   // later: link.shareProperty().get().url()
 * }</pre>
 */
public final class ShareDialogModel {

    /** The expiries offered: the service allows up to 30 days unless its deployment chose less. */
    public static final List<Duration> EXPIRIES = List.of(Duration.ofDays(1), Shares.DEFAULT_EXPIRY, Duration.ofDays(30));

    /** Where making the link is. */
    public enum Step { CHOOSING, CREATING, CREATED }

    private final Shares service;
    private final Background background;
    private final String target;
    private final String name;
    private final Consumer<Share> made;
    private final ObjectProperty<Duration> expiry = new SimpleObjectProperty<>(Shares.DEFAULT_EXPIRY);
    private final ReadOnlyObjectWrapper<Step> step = new ReadOnlyObjectWrapper<>(Step.CHOOSING);
    private final ReadOnlyObjectWrapper<Share> share = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper refusal = new ReadOnlyStringWrapper();

    ShareDialogModel(Shares service, Background background, String target, String name, Consumer<Share> made) {
        this.service = service;
        this.background = background;
        this.target = target;
        this.name = name;
        this.made = made;
    }

    /** The key or folder prefix shared. */
    public String target() {
        return target;
    }

    /** The file's name, or the folder's ending in '/'. */
    public String name() {
        return name;
    }

    public boolean folder() {
        return target.endsWith("/");
    }

    public ObjectProperty<Duration> expiryProperty() {
        return expiry;
    }

    public ReadOnlyObjectProperty<Step> stepProperty() {
        return step.getReadOnlyProperty();
    }

    /** The link made; null until then. */
    public ReadOnlyObjectProperty<Share> shareProperty() {
        return share.getReadOnlyProperty();
    }

    /** Why the service did not make the link, in its words (no URL, no trace); null otherwise. */
    public ReadOnlyStringProperty refusalProperty() {
        return refusal.getReadOnlyProperty();
    }

    /** Asks the service for the link, once at a time; a link already made is not made again. */
    public void create() {
        if (step.get() != Step.CHOOSING) {
            return;
        }
        Duration chosen = expiry.get();
        step.set(Step.CREATING);
        refusal.set(null);
        background.run(() -> service.create(target, chosen), link -> {
            share.set(link);
            step.set(Step.CREATED);
            made.accept(link);
        }, e -> {
            refusal.set(ErrorReport.advice(e));
            step.set(Step.CHOOSING);
        });
    }
}
