package io.skylift.cli;

import io.skylift.engine.ArchiveState;
import io.skylift.engine.RemoteEntry;
import io.skylift.engine.TransferEngine;
import io.skylift.json.Json;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
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
                        out.println(Json.OUTPUT.writeValueAsString(jsonOf(entry)));
                    } else if (entry.folder()) {
                        out.printf("%10s  %16s  %s%n", "", "", TerminalText.of(entry.key()));
                    } else {
                        out.printf("%10s  %16s  %s%s%n", ByteSize.format(entry.size()), WHEN.format(entry.lastModified()),
                                TerminalText.of(entry.key()), archiveWords(entry.archive()));
                    }
                }
                cursor = page.nextCursor();
            } while (cursor != null);
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** After the key, for a file that does not download now or was restored: "  (Archived)" and the like. */
    static String archiveWords(ArchiveState archive) {
        return switch (archive.kind()) {
            case NONE -> "";
            case ARCHIVED -> "  (Archived)";
            case RESTORING -> "  (Restoring\u2026)";
            case RESTORED -> archive.until() == null ? "  (Restored)" : "  (Restored until " + WHEN.format(archive.until()) + ")";
        };
    }

    // The entry's fields, with the archive state as the API words it: null, or {"state":"archived"|"restoring"|"restored","until"}.
    private static Map<String, Object> jsonOf(RemoteEntry entry) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("key", entry.key());
        line.put("folder", entry.folder());
        line.put("size", entry.size());
        line.put("etag", entry.etag());
        line.put("lastModified", entry.lastModified());
        line.put("storageClass", entry.storageClass());
        if (entry.archive().kind() == ArchiveState.Kind.NONE) {
            line.put("archive", null);
        } else {
            Map<String, Object> archive = new LinkedHashMap<>();
            archive.put("state", entry.archive().kind().name().toLowerCase(Locale.ROOT));
            if (entry.archive().until() != null) {
                archive.put("until", entry.archive().until());
            }
            line.put("archive", archive);
        }
        return line;
    }
}
