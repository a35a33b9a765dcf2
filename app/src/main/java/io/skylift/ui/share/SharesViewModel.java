package io.skylift.ui.share;

import io.skylift.engine.Share;
import io.skylift.engine.Shares;
import io.skylift.ui.Background;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The person's live share links, soonest to expire first: listed when first asked for and on
 * {@link #refresh}, joined by every link made through {@link #dialogFor} without listing again, and
 * revoked after a question. The service calls run through {@link Background}; JavaFX thread only
 * otherwise.
 *
 * <pre>{@code
 * SharesViewModel shares = new SharesViewModel(engine.shares(), background);
 * shares.askBeforeRevoking(share -> confirm("Revoke " + share.name() + "?"));
 * shares.refresh();
 * shares.revoke(shares.shares().getFirst());
 * }</pre>
 */
public final class SharesViewModel {

    private static final Comparator<Share> SOONEST_FIRST = Comparator.comparing(Share::expiresAt);

    private final Shares service;
    private final Background background;
    private final ObservableList<Share> shares = FXCollections.observableArrayList();
    private final ObservableList<Share> shown = FXCollections.unmodifiableObservableList(shares);
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper loaded = new ReadOnlyBooleanWrapper();
    // Made while a listing was on its way: the listing may have been read before they existed.
    private final List<Share> madeWhileListing = new ArrayList<>();
    // Revoked here: a listing read before the revoke must not bring them back.
    private final java.util.Set<String> revoked = new java.util.HashSet<>();
    // Only the latest listing asked for is shown: an earlier one may land after it.
    private long listing;
    private Predicate<Share> revokeQuestion = asked -> false;
    private BiConsumer<String, Throwable> onProblem = (what, e) -> { };

    public SharesViewModel(Shares service, Background background) {
        this.service = service;
        this.background = background;
    }

    /** The live shares, soonest to expire first. */
    public ObservableList<Share> shares() {
        return shown;
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** Whether the shares have been listed at least once: the tab lists them when it is first shown. */
    public ReadOnlyBooleanProperty loadedProperty() {
        return loaded.getReadOnlyProperty();
    }

    /** Asked on the FX thread before a share is revoked; false keeps it. */
    public void askBeforeRevoking(Predicate<Share> question) {
        this.revokeQuestion = question;
    }

    /** Told on the FX thread what the person asked for ("Shares", "Revoke") and why it could not be done. */
    public void onProblem(BiConsumer<String, Throwable> listener) {
        this.onProblem = listener;
    }

    /**
     * Makes the list {@code all} changing only what changed: a row still listed stays the same row,
     * so a listing that lands while the person has one selected (the tab lists whenever shown)
     * leaves it selected, and Copy link or Revoke act on it.
     */
    private void showInPlace(List<Share> all) {
        java.util.Set<String> live = new java.util.HashSet<>();
        all.forEach(share -> live.add(share.id()));
        shares.removeIf(share -> !live.contains(share.id()));
        for (int i = 0; i < all.size(); i++) {
            Share next = all.get(i);
            if (i < shares.size() && shares.get(i).id().equals(next.id())) {
                if (!shares.get(i).equals(next)) {
                    shares.set(i, next);
                }
                continue;
            }
            int at = -1;
            for (int j = i + 1; j < shares.size(); j++) {
                if (shares.get(j).id().equals(next.id())) {
                    at = j;
                    break;
                }
            }
            if (at >= 0) {
                shares.remove(at);
            }
            shares.add(i, next);
        }
        if (shares.size() > all.size()) {
            shares.remove(all.size(), shares.size()); // the same link twice (made in the dialog, then listed)
        }
    }

    /** Lists the live shares again, from the service; links that expired meanwhile leave the list. */
    public void refresh() {
        if (!loading.get()) {
            madeWhileListing.clear();
        }
        loading.set(true);
        long mine = ++listing;
        background.run(service::list, listed -> {
            if (mine != listing) {
                return;
            }
            java.time.Instant now = java.time.Instant.now();
            List<Share> all = new ArrayList<>(listed);
            madeWhileListing.stream().filter(made -> all.stream().noneMatch(s -> s.id().equals(made.id()))).forEach(all::add);
            all.removeIf(s -> revoked.contains(s.id()) || !s.expiresAt().isAfter(now));
            all.sort(SOONEST_FIRST);
            showInPlace(all);
            madeWhileListing.clear();
            loading.set(false);
            loaded.set(true);
        }, e -> {
            if (mine != listing) {
                return;
            }
            loading.set(false);
            onProblem.accept("Shares", e);
        });
    }

    /** A dialog's state for sharing {@code target} (a key, or a folder's prefix ending in '/'), named {@code name}. */
    public ShareDialogModel dialogFor(String target, String name) {
        return new ShareDialogModel(service, background, target, name, this::add);
    }

    private void add(Share made) {
        if (loading.get()) {
            madeWhileListing.add(made);
        }
        if (shares.stream().noneMatch(s -> s.id().equals(made.id()))) {
            int at = 0;
            while (at < shares.size() && SOONEST_FIRST.compare(shares.get(at), made) <= 0) {
                at++;
            }
            shares.add(at, made);
        }
    }

    /** Asks, then revokes: the row goes when the service says the link no longer works. */
    public void revoke(Share share) {
        if (share == null || !revokeQuestion.test(share)) {
            return;
        }
        background.run(() -> {
            service.revoke(share.id());
            return share;
        }, gone -> {
            revoked.add(gone.id());
            shares.removeIf(s -> s.id().equals(gone.id()));
        }, e -> {
            onProblem.accept("Revoke", e);
            // Already gone on the service's side (expired, or revoked elsewhere): show what is live.
            refresh();
        });
    }
}
