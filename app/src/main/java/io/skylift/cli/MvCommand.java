package io.skylift.cli;

import io.skylift.engine.Move;
import io.skylift.engine.TransferEngine;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code skylift mv SRC DST}. */
@Command(name = "mv", mixinStandardHelpOptions = true,
        description = {"Move or rename a file or a folder inside your own folder; storage copies it, checks the copy, then",
                "deletes the original. Never replaces a file: a target that exists is refused.",
                "A file goes to DST, or into DST keeping its name when DST ends in '/'. A folder SRC/ becomes DST/."})
final class MvCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "SRC", description = "The file's key, or a folder ending in '/', as `skylift ls` shows it.")
    String from;

    @Parameters(index = "1", paramLabel = "DST", description = "The new key, or a folder ending in '/'.")
    String to;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (TransferEngine engine = connection.engine()) {
            engine.account();
            Move moved = engine.files().move(from, to);
            moved.failed().forEach(f -> err.println("skylift: not moved: " + TerminalText.of(f.message())));
            err.flush();
            if (connection.json) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("from", moved.from());
                line.put("to", moved.to());
                line.put("files", moved.files());
                line.put("bytes", moved.bytes());
                line.put("failed", moved.failed().stream().map(RmCommand::failureJson).toList());
                out.println(RmCommand.json(line));
            } else {
                out.printf("Moved %s (%s): %s -> %s%n", RmCommand.files(moved.files()), ByteSize.format(moved.bytes()),
                        TerminalText.of(moved.from()), TerminalText.of(moved.to()));
            }
            out.flush();
            return moved.failed().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }
}
