package io.skylift.backend.identity;

import java.util.Optional;

/** What a signed-in person may do; granted by membership of an identity-provider group. */
public enum Role {
    /** Reads and writes only their own {@code u/<subject>/} folder. */
    PHOTOGRAPHER("photographers"),
    /** As a photographer, and may also read the shared archive prefix. */
    STAFF("staff");

    private final String group;

    Role(String group) {
        this.group = group;
    }

    public String group() {
        return group;
    }

    public static Optional<Role> ofGroup(String group) {
        for (Role role : values()) {
            if (role.group.equals(group)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
