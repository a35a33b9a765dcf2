package io.skylift.ui;

/** Style classes of skylift.css, so views never use inline styles. */
public final class Styles {

    public static final String APP = "skylift";
    public static final String HEADER = "app-header";
    public static final String BRAND = "brand";
    public static final String ACCOUNT = "account";
    public static final String DROP_ZONE = "drop-zone";
    public static final String DROP_ACTIVE = "drop-active";
    public static final String EMPTY = "empty-state";
    public static final String EMPTY_TITLE = "empty-title";
    public static final String EMPTY_HINT = "empty-hint";
    public static final String STATUS_BAR = "status-bar";
    public static final String MUTED = "muted";
    public static final String STATE = "state";
    public static final String CARD = "card";
    public static final String CARD_TITLE = "card-title";
    public static final String ERROR_TEXT = "error-text";
    public static final String BANNER = "banner";
    public static final String ROW_ACTIONS = "row-actions";
    public static final String TOOLBAR = "app-toolbar";
    public static final String ARCHIVED = "archived";
    public static final String RESTORING = "restoring";
    public static final String RESTORED = "restored";

    private Styles() {}
}
