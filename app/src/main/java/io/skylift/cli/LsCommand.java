package io.skylift.cli;

import io.skylift.engine.RemoteEntry;
import io.skylift.engine.TransferEngine;
import io.skylift.json.Json;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code skylift ls [PREFIX]}. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "List remote files you may read (default: your own folder).")
final class LsCommand implements Callable<Integer> {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Parameters(paramLabel = "PREFIX", arity = "0..1", description = "Folder or key prefix, e.g. u/<you>/2026/ or archives/.")
    String prefix;

    @Option(names = {"-r", "--recursive"}, description = "List every file below, not just this folder's files and sub-folders.")
    boolean recursive;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (TransferEngine engine = connection.engine()) {
            String cursor = null;
            do {
                TransferEngine.RemotePage page = engine.list(prefix, !recursive, cursor);
                for (RemoteEntry entry : page.entries()) {
                    if (connection.json) {
                        out.println(Json.OUTPUT.writeValueAsString(entry));
                    } else if (entry.folder()) {
                        out.printf("%10s  %16s  %s%n", "", "", TerminalText.of(entry.key()));
                    } else {
                        out.printf("%10s  %16s  %s%n", ByteSize.format(entry.size()), WHEN.format(entry.lastModified()), TerminalText.of(entry.key()));
                    }
                }
                cursor = page.nextCursor();
            } while (cursor != null);
        }
        out.flush();
        return ExitCodes.OK;
    }
}
