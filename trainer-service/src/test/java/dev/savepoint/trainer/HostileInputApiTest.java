package dev.savepoint.trainer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import dev.savepoint.stack.SavepointStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Hostile path parameters of the attempts API: a 400 naming the parameter, never a 5xx. */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class HostileInputApiTest {

    @Test
    void hostileRunIdsAndAttemptsAre400NamingTheParameter() {
        for (String run : new String[] {"a\0b", ".hidden", "x".repeat(129)}) {
            given().get("/api/attempts/{run}/{attempt}", run, 1).then().statusCode(400)
                    .body("message", containsString("'runId'"));
        }
        for (String attempt : new String[] {"-1", "1\0", "1234567890"}) {
            given().get("/api/attempts/{run}/{attempt}", "ts-run", attempt).then().statusCode(400)
                    .body("message", containsString("'attempt'"));
        }
        given().get("/api/attempts/{run}/{attempt}", "ts-unknown-run", 1).then().statusCode(404);
    }
}
