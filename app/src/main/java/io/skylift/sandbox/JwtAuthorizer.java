package io.skylift.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.skylift.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a bearer token as API Gateway's JWT authorizer does: a JWT signed by a key of the issuer's
 * JWKS (found through its discovery document), with that exact issuer, the audience in {@code aud}
 * or {@code client_id}, and not expired. Passes the claims on as API Gateway does: every value a
 * string, lists as {@code [a b]}. Thread-safe; the key set is fetched once and cached.
 */
final class JwtAuthorizer implements LocalApi.Authorizer {

    private static final Logger LOG = LoggerFactory.getLogger(JwtAuthorizer.class);

    private final String issuer;
    private final String audience;
    private volatile DefaultJWTProcessor<SecurityContext> processor;

    JwtAuthorizer(String issuer, String audience) {
        this.issuer = issuer;
        this.audience = audience;
    }

    @Override
    public Map<String, String> claims(String token) {
        try {
            JWTClaimsSet claims = processor().process(token, null);
            if (!hasAudience(claims)) {
                return null;
            }
            return flatten(claims);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            // What API Gateway answers: 401, nothing more. The reason is for the sandbox's log only.
            LOG.debug("Token refused: {}", e.getMessage());
            return null;
        } catch (IOException e) {
            LOG.warn("Cannot read the issuer's keys at {}: {}", issuer, e.getMessage());
            return null;
        }
    }

    private boolean hasAudience(JWTClaimsSet claims) throws ParseException {
        List<String> aud = claims.getAudience();
        return (aud != null && aud.contains(audience)) || audience.equals(claims.getStringClaim("client_id"));
    }

    private DefaultJWTProcessor<SecurityContext> processor() throws IOException {
        DefaultJWTProcessor<SecurityContext> current = processor;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (processor == null) {
                JWKSource<SecurityContext> keys = JWKSourceBuilder.create(jwksUrl()).retrying(true).build();
                var built = new DefaultJWTProcessor<SecurityContext>();
                built.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
                var verifier = new DefaultJWTClaimsVerifier<SecurityContext>(
                        new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp"));
                verifier.setMaxClockSkew(0);
                built.setJWTClaimsSetVerifier(verifier);
                processor = built;
            }
            return processor;
        }
    }

    private URL jwksUrl() throws IOException {
        String discovery = issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration";
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(discovery)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode document = Json.WIRE.readTree(response.body());
            if (!issuer.equals(document.path("issuer").asText())) {
                throw new IOException("the discovery document names issuer " + document.path("issuer").asText());
            }
            return URI.create(document.path("jwks_uri").asText()).toURL();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    static Map<String, String> flatten(JWTClaimsSet claims) {
        Map<String, String> flat = new LinkedHashMap<>();
        claims.getClaims().forEach((name, value) -> {
            if (value instanceof Collection<?> list) {
                flat.put(name, "[" + String.join(" ", list.stream().map(String::valueOf).toList()) + "]");
            } else if (value instanceof java.util.Date date) {
                flat.put(name, String.valueOf(date.toInstant().getEpochSecond()));
            } else if (value != null) {
                flat.put(name, String.valueOf(value));
            }
        });
        return flat;
    }
}
