package io.skylift.backend;

import java.util.Map;

/** JWT claims as API Gateway's authorizer passes them for the people in these tests. */
final class Callers {

    static final Map<String, String> ALICE = Map.of("sub", "alice-0001", "cognito:username", "alice",
            "cognito:groups", "[photographers]", "token_use", "access");
    static final Map<String, String> BOB = Map.of("sub", "bob-0002", "cognito:username", "bob",
            "cognito:groups", "[photographers]");
    static final Map<String, String> SAM_STAFF = Map.of("sub", "sam-0003", "cognito:username", "sam",
            "cognito:groups", "[staff]");
    static final Map<String, String> NOBODY = Map.of("sub", "nora-0004", "cognito:username", "nora");

    private Callers() {}
}
