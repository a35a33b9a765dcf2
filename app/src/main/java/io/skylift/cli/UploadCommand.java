package io.skylift.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code skylift upload FILE|DIR... [--to FOLDER]}. */
@Command(name = "upload", mixinStandardHelpOptions = true,
        description = {"Upload files, or every file under folders (keeping their paths below the folder).",
                "An unfinished upload of the same file continues where it stopped."})
final class UploadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Parameters(paramLabel = "FILE|DIR", arity = "1..*", description = "Files or folders to upload.")
    List<Path> sources;

    @Option(names = "--to", paramLabel = "FOLDER", description = "Remote folder to upload into (default: the top of your space).")
    String to;

    @Override
    public Integer call() {
        for (Path source : sources) {
            if (!Files.exists(source)) {
                throw new ParameterException(spec.commandLine(), source + " does not exist.");
            }
        }
        return connection.transfer(engine -> sources.stream().flatMap(source -> engine.upload(source, to).stream()).toList());
    }
}
