package io.skylift.cli;

import picocli.CommandLine;

/**
 * {@code skylift}: the command line. Exit codes: 0 success, 1 failure, 2 bad usage, 3 interrupted
 * with the transfer resumable.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        int exit;
        try {
            io.skylift.net.ProxyEnvironment.apply(System.getenv());
            exit = run(args);
        } catch (Throwable broken) {
            // An Error escapes picocli's handler; without an explicit exit, the servers' threads would keep the JVM alive.
            System.err.println("skylift: " + ExitCodes.describe(broken));
            exit = ExitCodes.FAILURE;
        }
        System.exit(exit);
    }

    static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The whole command tree with Skylift's error handling; it writes to standard output and error unless told otherwise. */
    static CommandLine commandLine() {
        return new CommandLine(new SkyliftCommand())
                .setParameterExceptionHandler(new UsageErrorHandler())
                .setExecutionExceptionHandler((e, command, parsed) -> {
                    command.getErr().println("skylift: " + ExitCodes.describe(e));
                    return ExitCodes.FAILURE;
                });
    }
}
