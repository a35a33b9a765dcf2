package io.skylift.sandbox;

import java.util.Map;

/** The two people the sandbox knows, as the claims a JWT authorizer would pass for them. */
public enum SandboxIdentity {
    PHOTOGRAPHER(Map.of("sub", "sandbox-photographer", "cognito:username", "Pat Photographer", "cognito:groups", "[photographers]")),
    STAFF(Map.of("sub", "sandbox-staff", "cognito:username", "Sam Support", "cognito:groups", "[staff]"));

    private final Map<String, String> claims;

    SandboxIdentity(Map<String, String> claims) {
        this.claims = claims;
    }

    public Map<String, String> claims() {
        return claims;
    }
}
