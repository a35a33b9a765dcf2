package io.skylift.cli;

import io.skylift.engine.Exclusions;
import io.skylift.engine.IfExists;
import io.skylift.engine.UploadOptions;
import io.skylift.engine.UploadPreview;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code skylift upload FILE|DIR... [--to FOLDER] [--if-exists fail|skip|rename] [--dry-run] [--exclude GLOB]...}. */
@Command(name = "upload", mixinStandardHelpOptions = true,
        description = {"Upload files, or every file under folders (keeping their paths below the folder).",
                "Running it again finishes the job: files already stored with the same bytes are skipped,",
                "unfinished uploads continue, and a name another file holds follows --if-exists."})
final class UploadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Parameters(paramLabel = "FILE|DIR", arity = "1..*", description = "Files or folders to upload.")
    List<Path> sources;

    @Option(names = "--to", paramLabel = "FOLDER", description = "Remote folder to upload into (default: the top of your space).")
    String to;

    @Option(names = "--if-exists", paramLabel = "fail|skip|rename", defaultValue = "fail",
            description = {"When another file holds a name: fail (the default; the run exits 1 naming them),",
                    "skip it, or rename (keep both: \"name (1).ext\"). Never replaces a stored file."})
    String ifExists;

    @Option(names = "--dry-run", description = "Say what would be sent, skipped and refused, and send nothing.")
    boolean dryRun;

    @Option(names = "--exclude", paramLabel = "GLOB",
            description = {"Leave out files matching GLOB (repeatable). Without a slash it matches any name on the way",
                    "(.DS_Store, *.xmp, or a folder's name); with one, the path below the folder (raw/*.tmp)."})
    List<String> excludes = new ArrayList<>();

    @Override
    public Integer call() {
        for (Path source : sources) {
            if (!Files.exists(source)) {
                throw new ParameterException(spec.commandLine(), source + " does not exist.");
            }
        }
        UploadOptions options = options();
        if (dryRun) {
            try (var engine = connection.engine()) {
                return preview(sources.stream().flatMap(source -> engine.previewUpload(source, to, options).stream()).toList());
            }
        }
        return connection.transfer(engine -> engine.upload(sources, to, options));
    }

    private UploadOptions options() {
        IfExists policy = switch (ifExists.toLowerCase(Locale.ROOT)) {
            case "fail" -> IfExists.FAIL;
            case "skip" -> IfExists.SKIP;
            case "rename" -> IfExists.RENAME;
            default -> throw new ParameterException(spec.commandLine(), "--if-exists must be fail, skip or rename (an upload never replaces a file).");
        };
        try {
            return new UploadOptions(policy, Exclusions.of(excludes));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--exclude " + e.getMessage());
        }
    }

    // One line per file, then the totals; exit 1 when something would be refused, as the upload would.
    private int preview(List<UploadPreview> previews) {
        PrintWriter out = spec.commandLine().getOut();
        Map<UploadPreview.Verdict, Integer> counts = new EnumMap<>(UploadPreview.Verdict.class);
        for (UploadPreview p : previews) {
            counts.merge(p.verdict(), 1, Integer::sum);
            String to = p.folder().isEmpty() ? p.name() : p.folder() + "/" + p.name();
            out.printf("%-14s %s -> %s (%s)%n", p.verdict().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                    TerminalText.of(p.file().toString()), TerminalText.of(to), TerminalText.of(p.reason()));
        }
        out.printf("dry run: %d to send, %d to resume, %d already stored, %d to skip, %d to keep as copies, %d refused; nothing was sent.%n",
                counts.getOrDefault(UploadPreview.Verdict.SEND, 0), counts.getOrDefault(UploadPreview.Verdict.RESUME, 0),
                counts.getOrDefault(UploadPreview.Verdict.ALREADY_STORED, 0), counts.getOrDefault(UploadPreview.Verdict.SKIP, 0),
                counts.getOrDefault(UploadPreview.Verdict.RENAME, 0), counts.getOrDefault(UploadPreview.Verdict.REFUSE, 0));
        out.flush();
        return counts.containsKey(UploadPreview.Verdict.REFUSE) ? ExitCodes.FAILURE : ExitCodes.OK;
    }
}
