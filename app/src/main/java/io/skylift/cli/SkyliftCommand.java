package io.skylift.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code skylift} command. */
@Command(name = "skylift",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Moves very large files between this computer and Amazon S3 through presigned URLs.",
        subcommands = {UploadCommand.class, DownloadCommand.class, LsCommand.class, TransfersCommand.class,
                ResumeCommand.class, SandboxCommand.class})
final class SkyliftCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
