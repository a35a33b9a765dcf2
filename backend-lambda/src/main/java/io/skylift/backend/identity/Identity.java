package io.skylift.backend.identity;

import java.util.Set;

/**
 * Who is calling, as the API Gateway JWT authorizer vouched for it.
 *
 * @param subject the token's {@code sub}: stable, and the caller's folder name under {@code u/}
 * @param name    a display name for people (username or e-mail), never used for access decisions
 * @param roles   empty for a user in no known group: such a user may only ask who they are
 */
public record Identity(String subject, String name, Set<Role> roles) {

    public Identity {
        roles = Set.copyOf(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public boolean isMember() {
        return !roles.isEmpty();
    }
}
