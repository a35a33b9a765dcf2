package io.skylift.signin;

import io.skylift.files.PrivateFiles;
import io.skylift.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/** Tokens in owner-only files in the data folder: for systems without a usable credential store. */
public final class FileTokenStore implements TokenStore {

    private final Path dir;

    public FileTokenStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public Optional<Tokens> load(String api) throws IOException {
        Path file = file(api);
        return Files.exists(file) ? Optional.of(Json.STORED.readValue(file.toFile(), Tokens.class)) : Optional.empty();
    }

    @Override
    public void save(String api, Tokens tokens) throws IOException {
        PrivateFiles.createDirectories(dir);
        PrivateFiles.writeAtomically(file(api), Json.STORED.writeValueAsBytes(tokens));
    }

    @Override
    public void delete(String api) throws IOException {
        Files.deleteIfExists(file(api));
    }

    @Override
    public String description() {
        return "an owner-only file in " + dir;
    }

    private Path file(String api) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(api.getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(hash, 0, 12) + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
