package dev.savepoint.checkpoint;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.savepoint.security.Role;
import dev.savepoint.stack.AccessWalk;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TestStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who may call checkpoint-service: every operation's role, and the console's sign-in. */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class AccessTest {

    private static final Set<Role> READERS = Set.of(Role.VIEWER, Role.OPERATOR);
    private static final Set<Role> READERS_AND_TRAINER = Set.of(Role.VIEWER, Role.OPERATOR, Role.TRAINER);

    /** The access table of checkpoint-service (docs/architecture.md has the same). */
    static final Map<String, Set<Role>> TABLE = Map.ofEntries(
            Map.entry("GET /api/runs", READERS),
            Map.entry("GET /api/runs/{runId}", READERS),
            Map.entry("GET /api/runs/{runId}/attempts", READERS),
            Map.entry("GET /api/runs/{runId}/checkpoints", READERS),
            Map.entry("GET /api/runs/{runId}/checkpoints/latest", READERS_AND_TRAINER),
            Map.entry("POST /api/runs/{runId}/checkpoints/latest/lease", Set.of(Role.TRAINER)),
            Map.entry("GET /api/checkpoints/{id}", READERS_AND_TRAINER),
            Map.entry("DELETE /api/checkpoints/{id}", Set.of(Role.OPERATOR)),
            Map.entry("GET /api/checkpoints/{id}/files/{name}", READERS_AND_TRAINER),
            Map.entry("POST /api/checkpoints/{id}/pin", Set.of(Role.OPERATOR)),
            Map.entry("DELETE /api/checkpoints/{id}/pin", Set.of(Role.OPERATOR)),
            Map.entry("POST /api/checkpoints/{id}/lease", Set.of(Role.TRAINER)),
            Map.entry("POST /api/checkpoints/{id}/forks", Set.of(Role.TRAINER)),
            Map.entry("POST /api/checkpoints/{id}/corrupt", Set.of(Role.OPERATOR, Role.TRAINER)),
            Map.entry("DELETE /api/leases/{leaseId}", Set.of(Role.TRAINER)),
            Map.entry("GET /console", READERS),
            Map.entry("GET /console/runs/{runId}", READERS),
            Map.entry("GET /console/rows", READERS),
            Map.entry("GET /console/events", READERS),
            Map.entry("GET /console/checkpoints/{id}/files/{name}", READERS),
            Map.entry("GET /console/submit", Set.of(Role.OPERATOR)),
            Map.entry("POST /console/act/validate", Set.of(Role.OPERATOR)),
            Map.entry("POST /console/act/submit", Set.of(Role.OPERATOR)),
            Map.entry("POST /console/act/checkpoints/{id}/pin", Set.of(Role.OPERATOR)),
            Map.entry("POST /console/act/checkpoints/{id}/unpin", Set.of(Role.OPERATOR)),
            Map.entry("POST /console/act/checkpoints/{id}/delete", Set.of(Role.OPERATOR)),
            Map.entry("POST /console/act/runs/{runId}/cancel", Set.of(Role.OPERATOR)),
            Map.entry("POST /console/act/runs/{runId}/resume", Set.of(Role.OPERATOR)),
            Map.entry("POST /console/act/runs/{runId}/fork", Set.of(Role.OPERATOR)),
            Map.entry("GET /console/login", Set.of(Role.VIEWER, Role.OPERATOR, Role.TRAINER)),
            Map.entry("POST /console/login", Set.of(Role.VIEWER, Role.OPERATOR, Role.TRAINER)));

    private static final String UUID = "00000000-0000-0000-0000-000000000000";

    @Test
    void everyApiOperationRefusesNoTokenWith401AndAWrongRoleWith403() {
        Map<String, Set<Role>> api = new java.util.HashMap<>(TABLE);
        api.keySet().removeIf(op -> op.contains("/console"));
        List<String> problems = AccessWalk.problems(api, Map.of("runId", "no-such-run", "id", UUID, "leaseId", UUID,
                "name", "model.safetensors"));
        // The console's pages are in the document too; they redirect a browser without a session to the login
        // page instead of answering 401 (see consoleWithoutASessionGoesToTheLogin).
        problems.removeIf(p -> p.startsWith("GET /console") || p.startsWith("POST /console"));
        assertEquals(List.of(), problems);
    }

    @Test
    void aJwtBearerIsRefusedWhileOidcIsOff() {
        // Well formed and signed with the key of OidcAccessTest's mock provider: without OIDC configured, nobody.
        String jwt = io.smallrye.jwt.build.Jwt.issuer(OidcAccessTest.ISSUER).audience(OidcAccessTest.AUDIENCE)
                .subject("alice").groups(Set.of("admin")).expiresAt(java.time.Instant.now().plusSeconds(300)).jws()
                .keyId("1").sign("privateKey.jwk");
        given().auth().oauth2(jwt).get("/api/runs").then().statusCode(401);
        given().auth().oauth2(TestStack.token(Role.VIEWER)).get("/api/runs").then().statusCode(200);
    }

    @Test
    void consoleWithoutASessionGoesToTheLogin() {
        given().auth().none().redirects().follow(false).get("/console").then().statusCode(302)
                .header("Location", containsString("/console/login"));
        given().auth().none().redirects().follow(false).get("/console/runs/{runId}", "r1").then().statusCode(302);
        given().auth().none().get("/console/login").then().statusCode(200).body(containsString("API token"));
        given().auth().oauth2(TestStack.token(Role.TRAINER)).get("/console").then().statusCode(403);
    }

    @Test
    void signingInSetsAnHttpOnlyStrictCookieThatOpensTheConsole() {
        given().auth().none().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("token", "sp_abcdefghijkl_" + "A".repeat(43)).post("/console/login").then()
                .statusCode(401);
        given().auth().none().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("token", TestStack.token(Role.TRAINER)).post("/console/login").then().statusCode(401);
        String viewer = TestStack.token(Role.VIEWER);
        var answer = given().auth().none().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("token", viewer).post("/console/login").then().statusCode(303).extract();
        String cookie = answer.header("Set-Cookie");
        org.junit.jupiter.api.Assertions.assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
                cookie);
        given().auth().none().cookie("savepoint_session", viewer).get("/console").then().statusCode(200)
                .contentType(containsString("text/html"));
    }
}
