package io.skylift.backend.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skylift.backend.http.ApiError;
import java.util.HashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ClaimsTest {

    static final String COGNITO = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI";
    static final String EXTERNAL = "https://login.example.com";

    static void assertApiError(ThrowingCallable call, int status, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.code()).isEqualTo(code);
        });
    }

    @ParameterizedTest
    @NullAndEmptySource
    void noClaimsAreUnauthenticated(Map<String, String> claims) {
        assertApiError(() -> Claims.identity(claims), 401, "UNAUTHENTICATED");
    }

    @Test
    void claimsWithoutASubjectAreUnauthenticated() {
        assertApiError(() -> Claims.identity(Map.of("cognito:username", "alice", "cognito:groups", "[staff]")),
                401, "UNAUTHENTICATED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void aBlankSubjectIsUnauthenticated(String sub) {
        assertApiError(() -> Claims.identity(Map.of("sub", sub)), 401, "UNAUTHENTICATED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice/bob", "../bob", "..", ".", "/alice", "alice/", "alice bob", " alice", "alice ",
            "alice\u0000", "alice\\bob", "-alice", ".hidden", "al\u00efce", "alice\u202E"})
    void aSubjectThatCannotNameAFolderIsRefused(String sub) {
        assertApiError(() -> Claims.identity(Map.of("sub", sub)), 403, "SUBJECT_UNUSABLE");
    }

    @Test
    void aSubjectLongerThan128CharactersIsRefused() {
        assertApiError(() -> Claims.identity(Map.of("sub", "a".repeat(129))), 403, "SUBJECT_UNUSABLE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice-0001", "3f1c2a9e-5b7d-4e0f-9a1b-2c3d4e5f6a7b", "auth0_x",
            "alice@example.com", "a.b+c", "A"})
    void aSafeSubjectBecomesTheIdentitysSubject(String sub) {
        assertThat(Claims.identity(Map.of("sub", sub)).subject()).isEqualTo(sub);
    }

    @Test
    void aSubjectOf128CharactersIsAccepted() {
        String sub = "a".repeat(128);

        assertThat(Claims.identity(Map.of("sub", sub)).subject()).isEqualTo(sub);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[photographers staff]", "[staff photographers]", "photographers staff", "[photographers\tstaff]",
            "[\"photographers\",\"staff\"]", "[\"photographers\", \"staff\"]", " [photographers  staff] "})
    void bothGroupsAreReadFromEveryListForm(String groups) {
        Identity identity = Claims.identity(Map.of("sub", "alice-0001", "cognito:groups", groups));

        assertThat(identity.roles()).containsExactlyInAnyOrder(Role.PHOTOGRAPHER, Role.STAFF);
        assertThat(identity.isMember()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[\"staff\"]", "staff", "[staff]"})
    void aSingleGroupIsReadFromEveryForm(String groups) {
        Identity identity = Claims.identity(Map.of("sub", "alice-0001", "cognito:groups", groups));

        assertThat(identity.roles()).containsExactly(Role.STAFF);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[\"not staff\"]", "[x,staff]", "[st\"aff]", "[staff,x]", "x,staff", "staff,", "[\"x,staff\"]",
            "[\"staff]", "[staff\"]", "[\"staff\" \"x\"]", "\"staff\"", "[\"st\\\"aff\"]", "[\"staff\"] [x]", "[[staff]]",
            "[staff-readers]", "[staff.]", "[(staff)]", "[\"staff \"]", "[\"staff\", 1]"})
    void aGroupThatOnlyContainsTheWordStaffGrantsNothing(String groups) {
        assertThat(Claims.identity(Map.of("sub", "alice-0001", "cognito:groups", groups)).roles()).isEmpty();
        assertThat(Claims.identity(Map.of("sub", "alice-0001", "iss", EXTERNAL, "groups", groups)).roles()).isEmpty();
    }

    @Test
    void aCognitoTokensRolesComeFromCognitoGroupsAlone() {
        Identity identity = Claims.identity(Map.of("sub", "alice-0001", "iss", COGNITO, "cognito:groups", "[photographers]",
                "groups", "[staff]"));

        assertThat(identity.roles()).containsExactly(Role.PHOTOGRAPHER);
    }

    @ParameterizedTest
    @ValueSource(strings = {EXTERNAL, "https://login.example.com/cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI",
            "https://cognito-idp.eu-west-1.amazonaws.com.example.com/eu-west-1_AbCdEfGhI",
            "http://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI", "http://localhost:8080/skylift"})
    void anExternalIssuersRolesComeFromGroupsAlone(String issuer) {
        Identity identity = Claims.identity(Map.of("sub", "alice-0001", "iss", issuer, "cognito:groups", "[staff]",
                "groups", "[photographers]"));

        assertThat(identity.roles()).containsExactly(Role.PHOTOGRAPHER);
    }

    @Test
    void anExternalIssuersGroupsGiveBothRoles() {
        Identity identity = Claims.identity(Map.of("sub", "alice-0001", "iss", EXTERNAL, "groups", "[staff photographers]"));

        assertThat(identity.roles()).containsExactlyInAnyOrder(Role.PHOTOGRAPHER, Role.STAFF);
    }

    @Test
    void claimsWithoutAnIssuerAreReadAsTheSandboxsCognitoShapedOnes() {
        Identity identity = Claims.identity(Map.of("sub", "alice-0001", "cognito:groups", "[photographers]",
                "groups", "[staff]"));

        assertThat(identity.roles()).containsExactly(Role.PHOTOGRAPHER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[admins everyone]", "Staff", "[PHOTOGRAPHERS]", "staffers", "[]", "", "photographer"})
    void unknownGroupsAreIgnored(String groups) {
        Identity identity = Claims.identity(Map.of("sub", "alice-0001", "cognito:groups", groups));

        assertThat(identity.roles()).isEmpty();
        assertThat(identity.isMember()).isFalse();
    }

    @Test
    void unknownGroupsBesideAKnownOneAreIgnored() {
        Identity identity = Claims.identity(Map.of("sub", "alice-0001", "cognito:groups", "[admins staff everyone]"));

        assertThat(identity.roles()).containsExactly(Role.STAFF);
    }

    @Test
    void aUserWithoutGroupsIsSignedInButNotAMember() {
        Identity identity = Claims.identity(Map.of("sub", "nora-0004", "cognito:username", "nora"));

        assertThat(identity.subject()).isEqualTo("nora-0004");
        assertThat(identity.isMember()).isFalse();
    }

    @Test
    void theDisplayNameIsTheUsernameAndFallsBackToTheSubject() {
        assertThat(Claims.identity(Map.of("sub", "alice-0001", "cognito:username", "alice")).name()).isEqualTo("alice");
        assertThat(Claims.identity(Map.of("sub", "alice-0001", "email", "alice@example.com")).name())
                .isEqualTo("alice@example.com");
        Map<String, String> blankName = new HashMap<>(Map.of("sub", "alice-0001", "cognito:username", " "));
        assertThat(Claims.identity(blankName).name()).isEqualTo("alice-0001");
    }
}
