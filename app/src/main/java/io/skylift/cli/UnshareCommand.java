package io.skylift.cli;

import io.skylift.engine.TransferEngine;
import io.skylift.engine.TransferException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code skylift unshare ID [--json]}. */
@Command(name = "unshare", mixinStandardHelpOptions = true,
        description = {"Revoke a share link: its page and downloads stop working (a download already under way runs to its end)."})
final class UnshareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Parameters(paramLabel = "ID", description = "The share's id, as `skylift share` and `skylift shares` print it.")
    String id;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (TransferEngine engine = connection.engine()) {
            engine.shares().revoke(id);
            if (connection.json) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("id", id);
                line.put("revoked", true);
                out.println(RmCommand.json(line));
            } else {
                out.println("Revoked " + TerminalText.of(id));
            }
            out.flush();
            return ExitCodes.OK;
        } catch (TransferException refused) {
            return ShareCommand.refused(err, refused);
        }
    }
}
