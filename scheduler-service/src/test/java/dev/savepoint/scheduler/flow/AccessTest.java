package dev.savepoint.scheduler.flow;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
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
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Who may call scheduler-service: every operation's role, tokens created, listed and revoked by an admin. */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class AccessTest {

    /** The access table of scheduler-service (docs/architecture.md has the same). */
    static final Map<String, Set<Role>> TABLE = Map.ofEntries(
            Map.entry("POST /api/runs", Set.of(Role.OPERATOR)),
            Map.entry("GET /api/runs", Set.of(Role.VIEWER, Role.OPERATOR)),
            Map.entry("GET /api/runs/{runId}", Set.of(Role.VIEWER, Role.OPERATOR)),
            Map.entry("GET /api/runs/{runId}/attempts", Set.of(Role.VIEWER, Role.OPERATOR)),
            Map.entry("GET /api/runs/{runId}/transitions", Set.of(Role.VIEWER, Role.OPERATOR)),
            Map.entry("POST /api/runs/{runId}/cancel", Set.of(Role.OPERATOR)),
            Map.entry("POST /api/runs/{runId}/fork", Set.of(Role.OPERATOR)),
            Map.entry("POST /api/runs/{runId}/resume", Set.of(Role.OPERATOR)),
            Map.entry("POST /api/tokens", Set.of()),
            Map.entry("GET /api/tokens", Set.of()),
            Map.entry("DELETE /api/tokens/{tokenId}", Set.of()));

    @Test
    void everyOperationRefusesNoTokenAnd401AndAWrongRole403() {
        List<String> problems = AccessWalk.problems(TABLE, Map.of("runId", "no-such-run", "tokenId", "abcdefghijkl"));
        assertEquals(List.of(), problems);
    }

    @Test
    void submitNeedsAnOperator() {
        String spec = Fixtures.spec("access-" + UUID.randomUUID().toString().substring(0, 8), 3, 5);
        given().auth().none().contentType(ContentType.JSON).body(spec).post("/api/runs").then().statusCode(401);
        given().auth().oauth2(TestStack.token(Role.VIEWER)).contentType(ContentType.JSON).body(spec)
                .post("/api/runs").then().statusCode(403);
        given().auth().oauth2("sp_abcdefghijkl_" + "A".repeat(43)).contentType(ContentType.JSON).body(spec)
                .post("/api/runs").then().statusCode(401);
        String runId = given().auth().oauth2(TestStack.token(Role.OPERATOR)).contentType(ContentType.JSON)
                .body(spec).post("/api/runs").then().statusCode(201).extract().path("runId");
        given().auth().oauth2(TestStack.token(Role.VIEWER)).get("/api/runs/" + runId).then().statusCode(200);
        given().auth().oauth2(TestStack.token(Role.OPERATOR)).post("/api/runs/" + runId + "/cancel").then()
                .statusCode(200);
    }

    @Test
    void anAdminCreatesListsAndRevokesTokens() {
        String token = given().contentType(ContentType.JSON)
                .body("{\"role\": \"viewer\", \"name\": \"ci reader\", \"ttl\": \"1d\"}").post("/api/tokens").then()
                .statusCode(201).body("role", equalTo("viewer")).body("token", startsWith("sp_")).extract()
                .path("token");
        String id = token.substring(3, 15);
        given().auth().oauth2(token).get("/api/runs").then().statusCode(200);
        given().get("/api/tokens").then().statusCode(200).body("id", hasItem(id))
                .body("token", not(hasItem(token)));
        given().contentType(ContentType.JSON).body("{\"role\": \"boss\"}").post("/api/tokens").then()
                .statusCode(400).body("message", org.hamcrest.Matchers.containsString("role"));
        given().contentType(ContentType.JSON).body("{\"role\": \"viewer\", \"ttl\": \"forever\"}")
                .post("/api/tokens").then().statusCode(400)
                .body("message", org.hamcrest.Matchers.containsString("ttl"));
        given().delete("/api/tokens/" + id).then().statusCode(204);
        // A positive answer is cached for a few seconds: a revoked token stops working within that time.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
                .until(() -> given().auth().oauth2(token).get("/api/runs").statusCode() == 401);
    }
}
