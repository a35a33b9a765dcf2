package io.skylift.cli;

import io.skylift.sandbox.SandboxPresence;
import io.skylift.ui.Gui;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code skylift gui [--sandbox]}: the desktop window (also what no command at all opens). */
@Command(name = "gui", mixinStandardHelpOptions = true, description = "Open the desktop window.")
final class GuiCommand implements Callable<Integer> {

    @Option(names = "--sandbox", description = "Start the local sandbox in this process and open the window on it.")
    boolean sandbox;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (sandbox && !SandboxPresence.inThisBuild()) {
            throw new ParameterException(spec.commandLine(), SandboxPresence.MISSING);
        }
        Gui.launch(sandbox);
        return ExitCodes.OK;
    }
}
