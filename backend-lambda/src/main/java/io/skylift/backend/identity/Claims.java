package io.skylift.backend.identity;

import io.skylift.backend.http.ApiError;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an {@link Identity} from the JWT claims API Gateway passes in
 * {@code requestContext.authorizer.jwt.claims}.
 *
 * <p>API Gateway flattens a list claim into one string such as {@code [staff photographers]};
 * Cognito puts groups in {@code cognito:groups}, other issuers commonly in {@code groups}.
 */
public final class Claims {

    // The subject becomes a folder name in every key the caller writes: only characters that are
    // safe in a key segment, and never '/', so one subject can never reach into another's folder.
    private static final Pattern SAFE_SUBJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}");
    private static final Pattern LIST_SEPARATORS = Pattern.compile("[\\s,]+");

    private Claims() {}

    /**
     * @throws ApiError 401 when there are no claims or no subject; 403 when the subject cannot name a folder
     */
    public static Identity identity(Map<String, String> claims) {
        if (claims == null || claims.isEmpty()) {
            throw ApiError.unauthenticated("Sign in first: this request carried no valid token.");
        }
        String subject = claims.get("sub");
        if (subject == null || subject.isBlank()) {
            throw ApiError.unauthenticated("The token has no subject (sub claim); sign in again.");
        }
        if (!SAFE_SUBJECT.matcher(subject).matches()) {
            throw ApiError.forbidden("SUBJECT_UNUSABLE",
                    "Your account id cannot be used as a storage folder; ask your administrator to check the identity provider.");
        }
        String name = first(claims, "cognito:username", "username", "preferred_username", "email").orElse(subject);
        return new Identity(subject, name, roles(claims));
    }

    private static Set<Role> roles(Map<String, String> claims) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String claim : new String[] {"cognito:groups", "groups"}) {
            String value = claims.get(claim);
            if (value == null) {
                continue;
            }
            String list = value.strip();
            if (list.startsWith("[") && list.endsWith("]")) {
                list = list.substring(1, list.length() - 1);
            }
            for (String group : LIST_SEPARATORS.split(list)) {
                Role.ofGroup(group.replace("\"", "")).ifPresent(roles::add);
            }
        }
        return roles;
    }

    private static Optional<String> first(Map<String, String> claims, String... names) {
        for (String name : names) {
            String value = claims.get(name);
            if (value != null && !value.isBlank()) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
