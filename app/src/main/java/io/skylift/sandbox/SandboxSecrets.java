package io.skylift.sandbox;

import io.skylift.files.PrivateFiles;
import io.skylift.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The sandbox's random secrets: its two tokens, the local S3 credentials and the upload-id seal.
 * Kept in {@code sandbox.json} (owner-only) in the data folder, so a restart with the same folder
 * keeps tokens, credentials and unfinished uploads valid.
 */
record SandboxSecrets(String photographerToken, String staffToken, String s3AccessKey, String s3SecretKey, String sealSecret) {

    private static final SecureRandom RANDOM = new SecureRandom();
    static final String FILE = "sandbox.json";

    static SandboxSecrets generate() {
        return new SandboxSecrets("sbx_p_" + random(24), "sbx_s_" + random(24), "skylift-sandbox", random(30),
                Base64.getEncoder().encodeToString(bytes(32)));
    }

    /** Reads the folder's secrets, creating them on first use. */
    static SandboxSecrets in(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (Files.exists(file)) {
            return Json.STORED.readValue(file.toFile(), SandboxSecrets.class);
        }
        SandboxSecrets secrets = generate();
        PrivateFiles.writeAtomically(file, Json.STORED.writeValueAsBytes(secrets));
        return secrets;
    }

    private static String random(int bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(bytes));
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    @Override
    public String toString() {
        return "SandboxSecrets[<hidden>]";
    }
}
