package io.skylift.backend.identity;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.skylift.backend.http.ApiError;
import io.skylift.backend.http.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an {@link Identity} from the JWT claims API Gateway passes in
 * {@code requestContext.authorizer.jwt.claims}. Stateless and thread-safe.
 *
 * <p>Groups come from the one claim the token's issuer vouches for: {@code cognito:groups} for a
 * Cognito user pool ({@code iss} is {@code https://cognito-idp.<region>.amazonaws.com/<pool>}),
 * {@code groups} for any other issuer. Claims without {@code iss} are the sandbox's fixed
 * identities, which are shaped like Cognito's; API Gateway always passes the issuer it checked.
 *
 * <p>API Gateway flattens a list claim into one string, {@code [staff photographers]}; a JSON array
 * of strings and a plain space-separated string are read too. A role needs an item that is exactly
 * its group's name: {@code [x,staff]}, {@code ["not staff"]} and {@code [st"aff]} grant nothing.
 * The flattening cannot tell a group whose name has a space from two groups: at an issuer that
 * allows spaces in group names, no other group may have {@code staff} or {@code photographers} as
 * one of its words.
 *
 * <pre>{@code
 * Claims.identity(Map.of("sub", "alice-0001", "cognito:groups", "[photographers]")).has(Role.PHOTOGRAPHER) // true
 * }</pre>
 */
public final class Claims {

    // The subject becomes a folder name in every key the caller writes: only characters that are
    // safe in a key segment, and never '/', so one subject can never reach into another's folder.
    private static final Pattern SAFE_SUBJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}");
    private static final Pattern LIST_SEPARATORS = Pattern.compile("\\s+");
    // As the stack's template builds a user pool's issuer; anything else is an external issuer.
    private static final Pattern COGNITO_ISSUER = Pattern.compile("https://cognito-idp\\.[a-z0-9-]+\\.amazonaws\\.com/[A-Za-z0-9_-]+");

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
        String issuer = claims.get("iss");
        String claim = issuer == null || COGNITO_ISSUER.matcher(issuer).matches() ? "cognito:groups" : "groups";
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String group : groups(claims.get(claim))) {
            Role.ofGroup(group).ifPresent(roles::add);
        }
        return roles;
    }

    private static List<String> groups(String value) {
        if (value == null) {
            return List.of();
        }
        String list = value.strip();
        if (list.startsWith("[") && list.endsWith("]")) {
            Optional<List<String>> json = jsonStrings(list);
            if (json.isPresent()) {
                return json.get();
            }
            list = list.substring(1, list.length() - 1);
        }
        return LIST_SEPARATORS.splitAsStream(list).filter(group -> !group.isEmpty()).toList();
    }

    /** The items of a JSON array of strings, nothing before or after it; empty for anything else. */
    private static Optional<List<String>> jsonStrings(String list) {
        if (list.indexOf('"') < 0) {
            return Optional.empty(); // the flattened form, the usual case: no exception to pay for
        }
        try (JsonParser parser = Json.mapper().createParser(list)) {
            JsonNode array = parser.readValueAsTree();
            if (parser.nextToken() != null || array == null || !array.isArray()) {
                return Optional.empty();
            }
            List<String> items = new ArrayList<>();
            for (JsonNode item : array) {
                if (!item.isTextual()) {
                    return Optional.empty();
                }
                items.add(item.textValue());
            }
            return Optional.of(items);
        } catch (IOException e) {
            return Optional.empty();
        }
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
