package io.skylift.cli;

import io.skylift.engine.TransferEngine;
import io.skylift.engine.UnfinishedTransfer;
import io.skylift.files.UserFolders;
import io.skylift.json.Json;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code skylift transfers}: what the journal holds. Needs no API or token: it only reads the journal. */
@Command(name = "transfers", mixinStandardHelpOptions = true, description = "List unfinished transfers from the journal.")
final class TransfersCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    // The common options are taken as on every command, so a script can pass the same ones
    // everywhere; listing reads only the journal and needs none of them.
    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        // Every route's transfers: direct ones show their bucket, and resume with the same --bucket.
        List<UnfinishedTransfer> unfinished = TransferEngine.unfinishedIn(UserFolders.data().resolve("transfers"));
        if (!connection.json && unfinished.isEmpty()) {
            out.println("No unfinished transfers.");
        }
        for (UnfinishedTransfer t : unfinished) {
            if (connection.json) {
                out.println(Json.OUTPUT.writeValueAsString(t));
            } else {
                int percent = t.size() == 0 ? 0 : (int) (100 * t.bytesDone() / t.size());
                out.printf("%s  %-8s  %3d%%  %10s  %s%s%s%n", t.id().substring(0, 8), t.direction().name().toLowerCase(Locale.ROOT),
                        percent, ByteSize.format(t.size()), TerminalText.of(t.direction().name().equals("UPLOAD") ? t.file() : t.key()),
                        t.connection() != null && t.connection().startsWith("s3://") ? "  [" + t.connection() + "]" : "",
                        t.reason() == null ? "" : "  (" + t.reason() + ")");
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
