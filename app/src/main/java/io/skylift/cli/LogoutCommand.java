package io.skylift.cli;

import io.skylift.signin.TokenStore;
import io.skylift.signin.Tokens;
import java.net.URI;
import java.util.Optional;
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
        TokenStore store = SignInSupport.store();
        Optional<Tokens> tokens = store.load(uri.toString());
        if (tokens.isEmpty()) {
            spec.commandLine().getOut().println("Not signed in to " + uri.getHost() + ".");
            return ExitCodes.OK;
        }
        try {
            SignInSupport.oidc(uri).revoke(tokens.get());
        } catch (java.io.IOException e) {
            // Forgetting it here is what matters; an unrevoked refresh token expires on its own.
            spec.commandLine().getErr().println("skylift: could not revoke the sign-in (" + e.getMessage() + "); forgetting it here anyway.");
        }
        store.delete(uri.toString());
        spec.commandLine().getOut().println("Signed out of " + uri.getHost() + ".");
        return ExitCodes.OK;
    }
}
