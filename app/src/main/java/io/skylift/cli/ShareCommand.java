package io.skylift.cli;

import io.skylift.engine.Share;
import io.skylift.engine.TransferEngine;
import io.skylift.engine.TransferException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code skylift share KEY|PREFIX/ [--expires 7d] [--json]}. */
@Command(name = "share", mixinStandardHelpOptions = true,
        description = {"Make a link to a file, or to a folder (PREFIX/, with the slash), that opens a page in any browser with a"
                + " download for each file, until it expires or `skylift unshare ID` revokes it. A folder's page shows the folder"
                + " as it is when opened, files added later included.",
                "Prints the link alone on standard output (so `$(skylift share ...)` holds it), and when it expires on standard"
                + " error. Anyone who has the link can download what it shares: send it only to whom it is for."})
final class ShareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Parameters(paramLabel = "KEY|PREFIX/", description = "A file's key, or a folder ending in '/', as `skylift ls` shows it.")
    String target;

    @Option(names = "--expires", paramLabel = "TIME", converter = Expiry.class,
            description = "How long the link works: 30m, 12h, 7d or 2w (default: 7d; at most the service's maximum, 30d unless set otherwise).")
    Duration expires;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (TransferEngine engine = connection.engine()) {
            Share share = engine.shares().create(target, expires);
            if (connection.json) {
                out.println(RmCommand.json(json(share)));
            } else {
                out.println(share.url());
                err.printf("Expires %s (%s)%n", Expiry.shown(share.expiresAt()), share.id());
            }
            out.flush();
            err.flush();
            return ExitCodes.OK;
        } catch (TransferException refused) {
            return refused(err, refused);
        }
    }

    /** A share as {@code --json} prints it, one line for each: its url included, since the person asked for it. */
    static Map<String, Object> json(Share share) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", share.id());
        line.put("url", share.url());
        line.put("expiresAt", share.expiresAt());
        line.put("createdAt", share.createdAt());
        line.put("name", share.name());
        line.put("target", share.target());
        line.put("folder", share.folder());
        return line;
    }

    /** The service's words on standard error, shown safely (a refusal may quote a stored name); exit 1. */
    static int refused(PrintWriter err, TransferException refused) {
        err.println("skylift: " + TerminalText.of(ExitCodes.describe(refused)));
        err.flush();
        return ExitCodes.FAILURE;
    }
}
