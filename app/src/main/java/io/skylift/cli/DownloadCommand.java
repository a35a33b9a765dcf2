package io.skylift.cli;

import io.skylift.engine.IfExists;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code skylift download KEY|PREFIX/... [--out DIR]}. */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = {"Download files by key (see `skylift ls`), or whole folders: PREFIX/ (with the slash) becomes",
                "DIR/<its last segment>/ with the same tree below it. An unfinished download of the same file continues;",
                "running a folder's download again fetches only what is missing (identical files are skipped).",
                "An existing file is never replaced unless --if-exists says so."})
final class DownloadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Parameters(paramLabel = "KEY|PREFIX/", arity = "1..*", description = "Keys of files, or folders ending in '/', to download.")
    List<String> keys;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".", description = "Folder to download into (default: the current one).")
    Path out;

    @Option(names = "--if-exists", paramLabel = "fail|rename|overwrite", defaultValue = "fail",
            description = "When the file is already there: fail (default), rename (keep both) or overwrite.")
    String ifExists;

    @Override
    public Integer call() {
        IfExists policy = switch (ifExists.toLowerCase(java.util.Locale.ROOT)) {
            case "fail" -> IfExists.FAIL;
            case "rename" -> IfExists.RENAME;
            case "overwrite" -> IfExists.OVERWRITE;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--if-exists must be fail, rename or overwrite.");
        };
        return connection.transfer(engine -> engine.download(keys, out, policy));
    }
}
