package io.skylift.signin;

import java.nio.file.Path;

/** The token store for this computer: the OS credential store where one works, else owner-only files. */
public final class TokenStores {

    private TokenStores() {}

    public static TokenStore forThisComputer(Path dataDir) {
        if (Boolean.getBoolean("skylift.noKeyring") || System.getenv("SKYLIFT_NO_KEYRING") != null) {
            return new FileTokenStore(dataDir.resolve("tokens"));
        }
        return KeyringTokenStore.open().orElseGet(() -> new FileTokenStore(dataDir.resolve("tokens")));
    }
}
