package io.skylift.cli;

import io.skylift.signin.SignOut;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code skylift logout}: ends the sign-in with the identity provider and forgets it here. */
@Command(name = "logout", mixinStandardHelpOptions = true, description = "Sign out: revoke the kept sign-in and forget it on this computer.")
final class LogoutCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--api", paramLabel = "URL", defaultValue = "${env:SKYLIFT_API}", description = "The Skylift API URL (default: $SKYLIFT_API).")
    String api;

    @Override
    public Integer call() throws Exception {
        URI uri = ConnectionOptions.apiUri(spec, api);
        SignOut.Outcome outcome = new SignOut(SignInSupport.store()).signOut(uri);
        if (!outcome.wasSignedIn()) {
            spec.commandLine().getOut().println("Not signed in to " + uri.getHost() + ".");
            return ExitCodes.OK;
        }
        if (outcome.notRevoked() != null) {
            spec.commandLine().getErr().println("skylift: could not revoke the sign-in (" + outcome.notRevoked() + "); forgetting it here anyway.");
        }
        spec.commandLine().getOut().println("Signed out of " + uri.getHost() + ".");
        return ExitCodes.OK;
    }
}
