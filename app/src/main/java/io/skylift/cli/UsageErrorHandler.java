package io.skylift.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Answers bad usage as picocli does (the error, then suggestions or the usage help, exit code 2), but
 * with every secret on the command line masked: picocli quotes the arguments it did not understand,
 * and a mistyped command would otherwise print the sign-in token that followed it.
 *
 * <p>A secret is the value of an option whose name is, or looks like a mistyping of, a secret's
 * ({@code --token T}, {@code --token=T}, {@code --tokn T}), and any argument shaped like a credential
 * (a sandbox token, a JWT, an AWS key id, a presigned URL) wherever it stands.
 *
 * <p>Stateless, so safe to share between threads and command lines. Example:
 * <pre>{@code
 * new CommandLine(new SkyliftCommand()).setParameterExceptionHandler(new UsageErrorHandler());
 * }</pre>
 */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {

    static final String MASK = "****";

    private static final List<String> SECRET_NAMES = List.of("token", "secret", "password");

    private static final Pattern CREDENTIAL_SHAPE = Pattern.compile(
            "sbx_[a-z]_.+"                                           // the sandbox's tokens
                    + "|eyJ[\\w-]*\\.[\\w-]+\\.[\\w-]*"              // a JWT: an access or ID token
                    + "|(AKIA|ASIA)[0-9A-Z]{16}"                     // an AWS access key id
                    + "|(?i:.*x-amz-(signature|credential|security-token)=.*)"); // a presigned URL

    // Values this short are masked only where picocli quotes them whole, not inside other words.
    private static final int MIN_LOOSE_MATCH = 4;

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine command = ex.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(command.getColorScheme().errorText(mask(ex.getMessage(), secrets(ex, args))));
        // The suggestions name only commands and options, never what was typed.
        if (!UnmatchedArgumentException.printSuggestions(ex, err)) {
            command.usage(err, command.getColorScheme());
        }
        err.flush();
        CommandLine.IExitCodeExceptionMapper mapper = command.getExitCodeExceptionMapper();
        return mapper != null ? mapper.getExitCode(ex) : command.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** Every secret value among the arguments as typed, as expanded from {@code @files}, and as picocli left them unmatched. */
    private static List<String> secrets(ParameterException ex, String[] args) {
        TreeSet<String> found = new TreeSet<>(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
        found.addAll(secrets(List.of(args)));
        CommandLine root = ex.getCommandLine();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        if (root.getParseResult() != null) {
            found.addAll(secrets(root.getParseResult().expandedArgs()));
        }
        if (ex instanceof UnmatchedArgumentException unmatched) {
            found.addAll(secrets(unmatched.getUnmatched()));
        }
        found.remove("");
        return new ArrayList<>(found);
    }

    static List<String> secrets(List<String> args) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg == null) {
                continue;
            }
            int equals = arg.indexOf('=');
            if (arg.startsWith("-") && isSecretOption(equals < 0 ? arg : arg.substring(0, equals))) {
                if (equals >= 0) {
                    found.add(arg.substring(equals + 1));
                } else if (i + 1 < args.size() && args.get(i + 1) != null && !args.get(i + 1).startsWith("--")) {
                    found.add(args.get(i + 1));
                }
            }
            if (CREDENTIAL_SHAPE.matcher(arg).matches()) {
                found.add(arg);
            } else if (equals >= 0 && CREDENTIAL_SHAPE.matcher(arg.substring(equals + 1)).matches()) {
                found.add(arg.substring(equals + 1));
            }
        }
        return found;
    }

    /** {@code --token}, {@code -token}, {@code --api-token}, and a slip of a letter or two such as {@code --tokn}. */
    static boolean isSecretOption(String option) {
        String name = option.replaceFirst("^-+", "").toLowerCase(Locale.ROOT);
        if (name.length() < 3) {
            return false;
        }
        for (String secret : SECRET_NAMES) {
            if (name.contains(secret) || editDistance(name, secret) <= 2) {
                return true;
            }
        }
        return false;
    }

    /** The message with each secret replaced where picocli quotes it, alone or after an option's {@code =}. */
    static String mask(String message, List<String> secrets) {
        if (message == null) {
            return null;
        }
        String masked = message;
        for (String secret : secrets) {
            masked = masked.replace("'" + secret + "'", "'" + MASK + "'").replace("=" + secret + "'", "=" + MASK + "'");
            if (secret.length() >= MIN_LOOSE_MATCH) {
                masked = masked.replace(secret, MASK);
            }
        }
        return masked;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
