package io.skylift.cli;

import io.skylift.engine.ArchiveState;
import io.skylift.engine.RestoreState;
import io.skylift.engine.RestoreTier;
import io.skylift.engine.TransferEngine;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code skylift restore KEY|PREFIX/ [--days N] [--tier bulk|standard|expedited]}. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Ask storage to restore archived (Glacier) files so they can be downloaded: a file, or every archived",
                "file below a folder (PREFIX/). A restore takes minutes to hours (up to 48 for DEEP_ARCHIVE); `skylift ls`",
                "shows Restoring… and then Restored until DATE, when `skylift download` works."})
final class RestoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Parameters(paramLabel = "KEY|PREFIX/", arity = "1..*", description = "Archived files, or folders ending in '/'.")
    List<String> keys;

    @Option(names = "--days", paramLabel = "N", defaultValue = "7", description = "How long the restored copy stays, 1-365 days (default ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--tier", paramLabel = "bulk|standard|expedited", defaultValue = "standard",
            description = {"How fast, at what cost: expedited (minutes; not for DEEP_ARCHIVE), standard (hours, the default),",
                    "bulk (5 to 48 hours, cheapest)."})
    String tier;

    @Override
    public Integer call() {
        if (days < 1 || days > 365) {
            throw new ParameterException(spec.commandLine(), "--days must be from 1 to 365.");
        }
        RestoreTier speed = switch (tier.toLowerCase(Locale.ROOT)) {
            case "bulk" -> RestoreTier.BULK;
            case "standard" -> RestoreTier.STANDARD;
            case "expedited" -> RestoreTier.EXPEDITED;
            default -> throw new ParameterException(spec.commandLine(), "--tier must be bulk, standard or expedited.");
        };
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (TransferEngine engine = connection.engine()) {
            engine.account();
            List<RestoreState> asked = engine.files().restore(keys, days, speed);
            for (RestoreState state : asked) {
                if (connection.json) {
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("key", state.key());
                    line.put("state", state.state().kind().name().toLowerCase(Locale.ROOT));
                    line.put("until", state.state().until());
                    out.println(RmCommand.json(line));
                } else {
                    out.printf("%s%s%n", TerminalText.of(state.key()), LsCommand.archiveWords(state.state()));
                }
            }
            out.flush();
            if (asked.isEmpty()) {
                err.println("skylift: no archived files there: nothing to restore.");
            } else if (asked.stream().anyMatch(s -> s.state().kind() == ArchiveState.Kind.RESTORING)) {
                err.println("skylift: a restore takes minutes to hours; `skylift ls` shows when it is done.");
            }
            err.flush();
            return ExitCodes.OK;
        }
    }
}
