package dev.savepoint.trainer;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.savepoint.security.Role;
import dev.savepoint.stack.AccessWalk;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TestStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who may call trainer-service: every operation's role. */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class AccessTest {

    /** The access table of trainer-service (docs/architecture.md has the same). */
    static final Map<String, Set<Role>> TABLE = Map.of(
            "GET /api/attempts", Set.of(Role.VIEWER, Role.OPERATOR),
            "GET /api/attempts/{runId}/{attempt}", Set.of(Role.VIEWER, Role.OPERATOR, Role.TRAINER));

    @Test
    void everyOperationRefusesNoTokenWith401AndAWrongRoleWith403() {
        assertEquals(List.of(), AccessWalk.problems(TABLE, Map.of("runId", "no-such-run", "attempt", "1")));
    }

    @Test
    void theSchedulersServiceTokenMayProbeAnAttempt() {
        given().auth().oauth2(TestStack.token(Role.TRAINER)).get("/api/attempts/{runId}/{attempt}", "no-such-run", 1)
                .then().statusCode(404);
        given().auth().oauth2(TestStack.token(Role.VIEWER)).get("/api/attempts").then().statusCode(200);
    }
}
