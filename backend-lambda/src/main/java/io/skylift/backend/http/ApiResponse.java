package io.skylift.backend.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response before it becomes an API Gateway event: status, extra headers, JSON body or none. */
public record ApiResponse(int status, Map<String, String> headers, String body) {

    /** Error bodies have one shape on every route. */
    public record ErrorBody(Detail error) {
        public record Detail(String code, String message, boolean retryable, String requestId) {}
    }

    public static ApiResponse json(int status, Object body) {
        return new ApiResponse(status, Map.of(), Json.write(body));
    }

    public static ApiResponse ok(Object body) {
        return json(200, body);
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, Map.of(), null);
    }

    public static ApiResponse redirect(String location) {
        return new ApiResponse(302, Map.of("Location", location), null);
    }

    public static ApiResponse error(ApiError error, String requestId) {
        var body = new ErrorBody(new ErrorBody.Detail(error.code(), error.getMessage(), error.isRetryable(), requestId));
        return json(error.status(), body);
    }

    public APIGatewayV2HTTPResponse toEvent() {
        Map<String, String> all = new LinkedHashMap<>();
        if (body != null) {
            all.put("Content-Type", "application/json");
        }
        // Bodies carry presigned URLs: no cache anywhere may keep them.
        all.put("Cache-Control", "no-store");
        all.putAll(headers);
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(all)
                .withBody(body)
                .withIsBase64Encoded(false)
                .build();
    }
}
