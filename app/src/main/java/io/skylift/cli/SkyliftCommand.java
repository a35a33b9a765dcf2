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
        subcommands = {UploadCommand.class, DownloadCommand.class, LsCommand.class, RmCommand.class, MvCommand.class,
                RestoreCommand.class, ShareCommand.class, SharesCommand.class, UnshareCommand.class, TransfersCommand.class,
                ResumeCommand.class, SandboxCommand.class, GuiCommand.class, LoginCommand.class, LogoutCommand.class,
                DoctorCommand.class})
final class SkyliftCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** No command: the desktop window, as a double-click on the app would open it. */
    @Override
    public Integer call() {
        io.skylift.ui.Gui.launch(false);
        return ExitCodes.OK;
    }
}
