package io.skylift.cli;

import io.skylift.engine.EngineSettings;
import io.skylift.engine.TransferEngine;
import io.skylift.files.UserFolders;
import io.skylift.signin.Browser;
import io.skylift.signin.OidcSignIn;
import io.skylift.signin.TokenSource;
import io.skylift.signin.TokenStore;
import io.skylift.signin.Tokens;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code skylift login}: signs in through the browser and keeps the sign-in for later commands. */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Sign in through your browser. Later commands use this sign-in (renewing it as needed) when no token is given."})
final class LoginCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--api", paramLabel = "URL", defaultValue = "${env:SKYLIFT_API}", description = "The Skylift API URL (default: $SKYLIFT_API).")
    String api;

    @Option(names = "--no-browser", description = "Do not open a browser; only print the address to open.")
    boolean noBrowser;

    @Override
    public Integer call() throws Exception {
        URI uri = ConnectionOptions.apiUri(spec, api);
        PrintWriter err = spec.commandLine().getErr();
        OidcSignIn oidc = SignInSupport.oidc(uri);
        Browser browser = noBrowser ? address -> { } : Browser.system();
        PrintWriter out = spec.commandLine().getOut();
        Tokens tokens = oidc.signIn(browser, address -> {
            err.println("Sign in in your browser. If it does not open, visit this address:");
            err.flush();
            out.println(address);
            out.flush();
        }, Duration.ofMinutes(5));
        TokenStore store = SignInSupport.store();
        store.save(uri.toString(), tokens);
        var source = new TokenSource(oidc, store, uri.toString(), tokens, Clock.systemUTC());
        try (TransferEngine engine = TransferEngine.start(EngineSettings.of(uri, source, UserFolders.data().resolve("transfers")).withConcurrency(1))) {
            TransferEngine.Account account = engine.account();
            spec.commandLine().getOut().printf("Signed in to %s as %s (%s). The sign-in is kept in %s.%n", uri.getHost(), account.name(),
                    account.roles().isEmpty() ? "no role yet: ask your administrator to add you to a group" : String.join(", ", account.roles()),
                    store.description());
        }
        return ExitCodes.OK;
    }
}
