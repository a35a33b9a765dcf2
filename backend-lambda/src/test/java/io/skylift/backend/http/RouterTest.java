package io.skylift.backend.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skylift.backend.http.Router.Access;
import io.skylift.backend.http.Router.Action;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RouterTest {

    // Distinct instances, so a match can be traced to the route that was registered.
    final Action config = (request, caller) -> null;
    final Action me = (request, caller) -> null;
    final Action create = (request, caller) -> null;
    final Action listUploads = (request, caller) -> null;
    final Action signParts = (request, caller) -> null;
    final Action listParts = (request, caller) -> null;
    final Action abort = (request, caller) -> null;
    final Action files = (request, caller) -> null;
    final Action content = (request, caller) -> null;

    final Router router = new Router()
            .add("GET", "/v1/config", Access.PUBLIC, config)
            .add("GET", "/v1/me", Access.SIGNED_IN, me)
            .add("POST", "/v1/uploads", Access.MEMBER, create)
            .add("GET", "/v1/uploads", Access.MEMBER, listUploads)
            .add("POST", "/v1/uploads/{id}/parts/sign", Access.MEMBER, signParts)
            .add("GET", "/v1/uploads/{id}/parts", Access.MEMBER, listParts)
            .add("DELETE", "/v1/uploads/{id}", Access.MEMBER, abort)
            .add("GET", "/v1/files", Access.MEMBER, files)
            .add("GET", "/v1/files/content", Access.MEMBER, content);

    static void assertApiError(ThrowingCallable call, int status, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.code()).isEqualTo(code);
        });
    }

    @Test
    void aFixedPathMatchesItsRouteWithNoParams() {
        Router.Match match = router.match("GET", "/v1/me");

        assertThat(match.action()).isSameAs(me);
        assertThat(match.access()).isEqualTo(Access.SIGNED_IN);
        assertThat(match.params()).isEmpty();
        assertThat(match.name()).isEqualTo("GET /v1/me");
    }

    @Test
    void theSamePathWithAnotherMethodMatchesAnotherRoute() {
        assertThat(router.match("POST", "/v1/uploads").action()).isSameAs(create);
        assertThat(router.match("GET", "/v1/uploads").action()).isSameAs(listUploads);
    }

    @Test
    void aTemplateSegmentBindsItsValueAsAParam() {
        String id = "eyJhIjoxfQ.c2lnbmF0dXJl-_";

        Router.Match match = router.match("GET", "/v1/uploads/" + id + "/parts");

        assertThat(match.action()).isSameAs(listParts);
        assertThat(match.params()).isEqualTo(Map.of("id", id));
    }

    @Test
    void theMatchIsNamedByItsTemplateNotByThePathValues() {
        Router.Match match = router.match("POST", "/v1/uploads/secret-upload-id/parts/sign");

        assertThat(match.action()).isSameAs(signParts);
        assertThat(match.name()).isEqualTo("POST /v1/uploads/{id}/parts/sign").doesNotContain("secret-upload-id");
    }

    @Test
    void aTemplateSegmentAtTheEndBindsToo() {
        Router.Match match = router.match("DELETE", "/v1/uploads/abc");

        assertThat(match.action()).isSameAs(abort);
        assertThat(match.params()).containsExactly(Map.entry("id", "abc"));
    }

    @Test
    void aLongerFixedPathIsNotConfusedWithItsParent() {
        assertThat(router.match("GET", "/v1/files").action()).isSameAs(files);
        assertThat(router.match("GET", "/v1/files/content").action()).isSameAs(content);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "", "/v1", "/v2/me", "/v1/you", "/v1/me/", "/v1/me/x", "/v1//me", "/V1/ME",
            "/v1/uploads//parts", "/v1/uploads/a/b/parts", "/v1/uploads/abc/parts/sign/more", "/v1/files/content/"})
    void anUnknownPathIsNotFound(String path) {
        assertApiError(() -> router.match("GET", path), 404, "ROUTE_NOT_FOUND");
    }

    @ParameterizedTest
    @CsvSource({
            "DELETE, /v1/me",
            "POST, /v1/config",
            "PUT, /v1/uploads",
            "DELETE, /v1/uploads",
            "GET, /v1/uploads/abc",
            "POST, /v1/uploads/abc/parts",
            "GET, /v1/uploads/abc/parts/sign"})
    void aKnownPathWithAnotherMethodIsNotAllowed(String method, String path) {
        assertApiError(() -> router.match(method, path), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void anEmptyRouterFindsNothing() {
        assertApiError(() -> new Router().match("GET", "/v1/me"), 404, "ROUTE_NOT_FOUND");
    }
}
