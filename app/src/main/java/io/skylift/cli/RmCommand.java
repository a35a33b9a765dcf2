package io.skylift.cli;

import io.skylift.engine.Deletion;
import io.skylift.engine.FileFailure;
import io.skylift.engine.TransferEngine;
import io.skylift.json.Json;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code skylift rm KEY|PREFIX/... [--yes]}. */
@Command(name = "rm", mixinStandardHelpOptions = true,
        description = {"Delete files, or folders (PREFIX/, with the slash) and every file below them, in your own folder.",
                "On a terminal it says how many files and how much first, and asks; elsewhere it deletes only with --yes.",
                "The archive and other people's files are never deleted. An administrator can bring a deleted file back",
                "for a while (see the README)."})
final class RmCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Parameters(paramLabel = "KEY|PREFIX/", arity = "1..*", description = "Keys of files, or folders ending in '/', as `skylift ls` shows them.")
    List<String> keys;

    @Option(names = {"-y", "--yes"}, description = "Delete without asking (needed when not on a terminal).")
    boolean yes;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean terminal = System.console() != null && System.console().isTerminal();
        if (!yes && !terminal) {
            // Nobody can answer the question here: a script must say it means it.
            err.println("skylift: rm deletes without asking only with --yes, and this is not a terminal: add --yes.");
            err.flush();
            return ExitCodes.USAGE;
        }
        try (TransferEngine engine = connection.engine()) {
            engine.account();
            java.time.Instant counted = null;
            if (!yes) {
                counted = java.time.Instant.now();
                Deletion asked = engine.files().previewDelete(keys);
                asked.failed().forEach(f -> err.println("skylift: " + TerminalText.of(f.message())));
                if (asked.files() == 0) {
                    err.println("skylift: nothing to delete.");
                    err.flush();
                    return ExitCodes.FAILURE;
                }
                err.flush();
                String answer = System.console().readLine("Delete %s (%s)? [y/N] ", files(asked.files()), ByteSize.format(asked.bytes()));
                if (answer == null || !List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT))) {
                    err.println("Nothing was deleted.");
                    err.flush();
                    return ExitCodes.OK;
                }
            }
            // Only what the question counted: a file stored into the folder while it was asked stays.
            Deletion done = engine.files().delete(keys, counted);
            report(done, out, err);
            return done.failed().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }

    private void report(Deletion done, PrintWriter out, PrintWriter err) {
        done.failed().forEach(f -> err.println("skylift: not deleted: " + TerminalText.of(f.message())));
        err.flush();
        if (connection.json) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("deleted", done.files());
            line.put("bytes", done.bytes());
            line.put("failed", done.failed().stream().map(RmCommand::failureJson).toList());
            out.println(json(line));
        } else {
            out.printf("Deleted %s (%s).%n", files(done.files()), ByteSize.format(done.bytes()));
        }
        out.flush();
    }

    static Map<String, Object> failureJson(FileFailure failure) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("key", failure.key());
        item.put("code", failure.code());
        item.put("message", failure.message());
        return item;
    }

    static String json(Object line) {
        try {
            return Json.OUTPUT.writeValueAsString(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String files(long count) {
        return String.format(Locale.ROOT, "%,d %s", count, count == 1 ? "file" : "files");
    }
}
