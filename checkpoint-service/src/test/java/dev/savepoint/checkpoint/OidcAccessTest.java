package dev.savepoint.checkpoint;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.savepoint.security.Role;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TestStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.jwt.build.Jwt;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * OIDC bearer tokens beside the API tokens, against Quarkus's mock OIDC provider (WireMock: discovery and JWKS).
 * Roles come from the {@code groups} claim; {@code ml-team} is mapped onto operator.
 */
@QuarkusTest
@TestProfile(OidcAccessTest.WithOidc.class)
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class OidcAccessTest {

    /** The mock provider's fixed issuer (a reserved example name, never contacted) and this profile's audience. */
    static final String ISSUER = "https://server.example.com";
    static final String AUDIENCE = "savepoint-test";
    private static final String NO_SUCH_CHECKPOINT = "00000000-0000-0000-0000-000000000000";
    /** The challenge of our own mechanism; OIDC's differs, so it tells who refused a request. */
    private static final String OUR_CHALLENGE = "Bearer realm=\"savepoint\"";

    /** OIDC on, as a cluster with an identity provider would configure it. */
    public static class WithOidc implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc.tenant-enabled", "true",
                    "quarkus.oidc.auth-server-url", "${keycloak.url}/realms/quarkus",
                    "quarkus.oidc.token.audience", AUDIENCE,
                    "savepoint.oidc.role-map", "ml-team=operator");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OidcWiremockTestResource.class));
        }
    }

    /** A token as the mock provider would issue it: signed with its key, valid for five minutes. */
    static String token(Set<String> groups) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject("alice").groups(groups)
                .expiresAt(Instant.now().plusSeconds(300)).jws().keyId("1").sign("privateKey.jwk");
    }

    @Test
    void aViewerFromTheIdentityProviderReadsButCannotChangeAnything() {
        String viewer = token(Set.of("viewer"));
        given().auth().oauth2(viewer).get("/api/runs").then().statusCode(200);
        given().auth().oauth2(viewer).post("/api/checkpoints/{id}/pin", NO_SUCH_CHECKPOINT).then().statusCode(403);
        given().auth().oauth2(viewer).delete("/api/checkpoints/{id}", NO_SUCH_CHECKPOINT).then().statusCode(403);
    }

    @Test
    void anOperatorByRoleNameOrByMappedGroupGetsPastTheRoleCheck() {
        for (String operator : List.of(token(Set.of("operator")), token(Set.of("ml-team", "unrelated")))) {
            given().auth().oauth2(operator).get("/api/runs").then().statusCode(200);
            // 404: the role check let the call through to the resource, which has no such checkpoint.
            given().auth().oauth2(operator).post("/api/checkpoints/{id}/pin", NO_SUCH_CHECKPOINT).then()
                    .statusCode(404);
            given().auth().oauth2(operator).delete("/api/checkpoints/{id}", NO_SUCH_CHECKPOINT).then()
                    .statusCode(404);
        }
    }

    @Test
    void anOidcIdentityNeverHoldsTrainerNorAnUnmappedGroup() {
        for (String caller : List.of(token(Set.of("admin")), token(Set.of("trainer")))) {
            given().auth().oauth2(caller).contentType("application/json").body("{}")
                    .post("/api/checkpoints/{id}/lease", NO_SUCH_CHECKPOINT).then().statusCode(403);
        }
        given().auth().oauth2(token(Set.of("trainer"))).get("/api/runs").then().statusCode(403);
        given().auth().oauth2(token(Set.of("everyone"))).get("/api/runs").then().statusCode(403);
        given().auth().oauth2(token(Set.of())).get("/api/runs").then().statusCode(403);
    }

    @Test
    void expiredWrongIssuerWrongAudienceAndForgedTokensAre401() throws NoSuchAlgorithmException {
        Instant now = Instant.now();
        String expired = Jwt.issuer(ISSUER).audience(AUDIENCE).subject("alice").groups(Set.of("admin"))
                .issuedAt(now.minusSeconds(7200)).expiresAt(now.minusSeconds(3600)).jws().keyId("1")
                .sign("privateKey.jwk");
        String wrongIssuer = Jwt.issuer("https://elsewhere.invalid").audience(AUDIENCE).subject("alice")
                .groups(Set.of("admin")).expiresAt(now.plusSeconds(300)).jws().keyId("1").sign("privateKey.jwk");
        String wrongAudience = Jwt.issuer(ISSUER).audience("another-client").subject("alice").groups(Set.of("admin"))
                .expiresAt(now.plusSeconds(300)).jws().keyId("1").sign("privateKey.jwk");
        var otherKey = KeyPairGenerator.getInstance("RSA");
        otherKey.initialize(2048);
        String forged = Jwt.issuer(ISSUER).audience(AUDIENCE).subject("alice").groups(Set.of("admin"))
                .expiresAt(now.plusSeconds(300)).jws().keyId("1").sign(otherKey.generateKeyPair().getPrivate());
        Map<String, String> bad = Map.of("expired", expired, "wrong issuer", wrongIssuer,
                "wrong audience", wrongAudience, "bad signature", forged, "not a JWT", "abc.def.ghi");
        bad.forEach((what, token) -> given().auth().oauth2(token).get("/api/runs").then()
                .log().ifValidationFails().statusCode(401));
        // The same claims, properly signed and current, are let in: what differs above is what was refused.
        given().auth().oauth2(token(Set.of("admin"))).get("/api/runs").then().statusCode(200);
    }

    @Test
    void apiTokensKeepWorkingAndABadOneIsRefusedByUsNotByOidc() {
        given().auth().oauth2(TestStack.token(Role.VIEWER)).get("/api/runs").then().statusCode(200);
        given().auth().oauth2(TestStack.token(Role.VIEWER)).post("/api/checkpoints/{id}/pin", NO_SUCH_CHECKPOINT)
                .then().statusCode(403);
        given().auth().oauth2(TestStack.token(Role.TRAINER)).get("/api/checkpoints/{id}", NO_SUCH_CHECKPOINT)
                .then().statusCode(404);
        for (String badApiToken : List.of("sp_abcdefghijkl_" + "A".repeat(43), "sp_malformed")) {
            given().auth().oauth2(badApiToken).get("/api/runs").then().statusCode(401)
                    .header("WWW-Authenticate", equalTo(OUR_CHALLENGE));
        }
        given().auth().oauth2("abc.def.ghi").get("/api/runs").then().statusCode(401)
                .header("WWW-Authenticate", not(equalTo(OUR_CHALLENGE)));
    }
}
