package io.skylift.cli;

import io.skylift.engine.Share;
import io.skylift.engine.TransferEngine;
import io.skylift.engine.TransferException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code skylift shares [--json]}. */
@Command(name = "shares", mixinStandardHelpOptions = true,
        description = {"List your share links that still work, soonest to expire first, one a line: ID  EXPIRES  KEY|PREFIX/  URL."
                + " `skylift unshare ID` revokes one."})
final class SharesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (TransferEngine engine = connection.engine()) {
            List<Share> shares = engine.shares().list();
            for (Share share : shares) {
                if (connection.json) {
                    out.println(RmCommand.json(ShareCommand.json(share)));
                } else {
                    out.printf("%s  %s  %s  %s%n", share.id(), Expiry.shown(share.expiresAt()), TerminalText.of(share.target()), share.url());
                }
            }
            out.flush();
            if (shares.isEmpty()) {
                err.println("No shares.");
                err.flush();
            }
            return ExitCodes.OK;
        } catch (TransferException refused) {
            return ShareCommand.refused(err, refused);
        }
    }
}
