package io.skylift.ui;

import io.skylift.engine.Direction;
import io.skylift.engine.TransferException;
import io.skylift.engine.TransferState;
import io.skylift.ui.queue.TransferRow;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletionException;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.stage.Window;

/**
 * Turns a failure into words a photographer understands (what happened, what to do) and details a
 * support person can copy. Never shows a URL or a token: engine messages are written without them.
 */
public final class ErrorReport {

    private ErrorReport() {}

    public static String headline(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof TransferException te) {
            return switch (te.reason()) {
                case UNAUTHORIZED -> "Skylift could not sign you in.";
                case FORBIDDEN -> "You are not allowed to do that.";
                case UNAVAILABLE -> "Skylift cannot reach the service right now.";
                case EXISTS -> "A file with that name is already there.";
                case FILE_CHANGED -> "A file changed while it was being sent.";
                case LOCAL_IO -> "Skylift cannot read or write a file on this computer.";
                case ARCHIVED -> "Archived files must be restored before they download.";
                default -> "Something went wrong.";
            };
        }
        if (e instanceof IllegalArgumentException) {
            return "Please check what you typed.";
        }
        return "Something went wrong.";
    }

    public static String advice(Throwable error) {
        Throwable e = unwrap(error);
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    public static String details(Throwable error) {
        StringWriter text = new StringWriter();
        Throwable e = unwrap(error);
        text.append(headline(e)).append('\n').append(advice(e)).append("\n\n");
        e.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    public static void show(Window owner, String title, Throwable error) {
        show(owner, title, headline(error), advice(error), details(error));
    }

    /** What stopped one transfer: its reason in words, and what support needs to find it (its id). */
    public static void show(Window owner, TransferRow row) {
        String name = row.nameProperty().get();
        boolean failed = row.stateProperty().get() == TransferState.FAILED;
        String headline = failed ? "\"" + name + "\" could not be " + (row.direction() == Direction.UPLOAD ? "uploaded." : "downloaded.")
                : "\"" + name + "\" stopped; it can be resumed.";
        String reason = row.reasonProperty().get();
        String details = headline + "\n" + reason + "\n\nTransfer: " + row.transfer().id() + "\nDirection: "
                + row.direction().name().toLowerCase(java.util.Locale.ROOT) + "\nState: " + row.stateProperty().get()
                .name().toLowerCase(java.util.Locale.ROOT);
        show(owner, name, headline, reason, details);
    }

    private static void show(Window owner, String title, String headline, String advice, String detailText) {
        Alert alert = new Alert(Alert.AlertType.ERROR, "", ButtonType.CLOSE);
        alert.initOwner(owner);
        alert.setTitle("Skylift - " + title);
        alert.setHeaderText(headline);
        Label adviceLabel = new Label(advice);
        adviceLabel.setId("error-advice");
        adviceLabel.setWrapText(true);
        TextArea details = new TextArea(detailText);
        details.setEditable(false);
        details.setWrapText(false);
        details.setPrefRowCount(10);
        details.setAccessibleText("Error details to copy for support");
        GridPane.setVgrow(details, Priority.ALWAYS);
        GridPane.setHgrow(details, Priority.ALWAYS);
        GridPane expandable = new GridPane();
        expandable.add(new Label("Details for support (select and copy):"), 0, 0);
        expandable.add(details, 0, 1);
        alert.getDialogPane().setContent(adviceLabel);
        alert.getDialogPane().setExpandableContent(expandable);
        alert.show();
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
