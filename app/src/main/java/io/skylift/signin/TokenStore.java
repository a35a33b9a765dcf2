package io.skylift.signin;

import java.io.IOException;
import java.util.Optional;

/** Where sign-in tokens are kept between runs, one entry per Skylift API address. */
public interface TokenStore {

    Optional<Tokens> load(String api) throws IOException;

    void save(String api, Tokens tokens) throws IOException;

    void delete(String api) throws IOException;

    /** Where the tokens are, for people: "the system keyring", "an owner-only file in …". */
    String description();
}
