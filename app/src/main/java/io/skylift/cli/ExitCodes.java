package io.skylift.cli;

/** The exit codes scripts rely on (see the README); picocli itself answers 2 for bad usage. */
final class ExitCodes {

    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;
    static final int INTERRUPTED = 3;

    private ExitCodes() {}

    /** One line for the user: the message, never a stack trace. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
