package io.skylift.cli;

import io.skylift.engine.Transfer;
import io.skylift.engine.TransferEngine;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code skylift resume [ID|--all]}. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Resume unfinished transfers (see `skylift transfers`): storage says what is already there; only the rest is sent.")
final class ResumeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @ArgGroup(multiplicity = "1")
    Which which;

    static final class Which {
        @Parameters(paramLabel = "ID", description = "The transfer's id, or enough of its start to be unique.")
        String id;

        @Option(names = "--all", description = "Resume every unfinished transfer.")
        boolean all;
    }

    @Override
    public Integer call() {
        try (TransferEngine engine = connection.engine()) {
            engine.account();
            List<Transfer> transfers = which.all ? engine.resumeAll() : List.of(engine.resume(which.id));
            if (transfers.isEmpty()) {
                spec.commandLine().getErr().println("No unfinished transfers.");
                return ExitCodes.OK;
            }
            return new TransferRunner(engine, spec.commandLine().getOut(), spec.commandLine().getErr(), connection.json).run(() -> transfers);
        }
    }
}
