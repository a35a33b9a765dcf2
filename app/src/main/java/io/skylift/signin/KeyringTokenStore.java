package io.skylift.signin;

import com.github.javakeyring.BackendNotSupportedException;
import com.github.javakeyring.Keyring;
import com.github.javakeyring.PasswordAccessException;
import io.skylift.json.Json;
import java.io.IOException;
import java.util.Optional;

/** Tokens in the OS credential store: macOS Keychain, Windows Credential Manager, Secret Service. */
public final class KeyringTokenStore implements TokenStore {

    private static final String SERVICE = "Skylift";
    private final Keyring keyring;

    private KeyringTokenStore(Keyring keyring) {
        this.keyring = keyring;
    }

    /** The system's keyring, if it has one that works (a round trip is tried); else empty. */
    public static Optional<TokenStore> open() {
        try {
            Keyring keyring = Keyring.create();
            String probe = "skylift-probe-" + ProcessHandle.current().pid();
            keyring.setPassword(SERVICE, probe, "probe");
            boolean works = "probe".equals(keyring.getPassword(SERVICE, probe));
            keyring.deletePassword(SERVICE, probe);
            return works ? Optional.of(new KeyringTokenStore(keyring)) : Optional.empty();
        } catch (BackendNotSupportedException | PasswordAccessException | RuntimeException | LinkageError unavailable) {
            // No keyring on this system (a server, a headless session): the caller falls back.
            return Optional.empty();
        }
    }

    @Override
    public Optional<Tokens> load(String api) throws IOException {
        try {
            return Optional.of(Json.STORED.readValue(keyring.getPassword(SERVICE, api), Tokens.class));
        } catch (PasswordAccessException missing) {
            return Optional.empty();
        }
    }

    @Override
    public void save(String api, Tokens tokens) throws IOException {
        try {
            keyring.setPassword(SERVICE, api, Json.STORED.writeValueAsString(tokens));
        } catch (PasswordAccessException e) {
            throw new IOException("The system keyring refused to keep the sign-in: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String api) throws IOException {
        try {
            keyring.deletePassword(SERVICE, api);
        } catch (PasswordAccessException missing) {
            // Nothing stored: signed out already.
        }
    }

    @Override
    public String description() {
        return "the system keyring";
    }
}
