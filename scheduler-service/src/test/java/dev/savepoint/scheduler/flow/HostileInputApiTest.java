package dev.savepoint.scheduler.flow;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import dev.savepoint.stack.SavepointStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * The reported bad inputs of the runs API: each answered 4xx naming the problem, none a 5xx, none reaching
 * PostgreSQL (a NUL byte in an id used to be a 500 "invalid byte sequence").
 */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class HostileInputApiTest {

    private static final String SPEC = Fixtures.spec("hostile", 3, 5);

    private static void refused(String body, String named) {
        given().contentType(ContentType.JSON).body(body).when().post("/api/runs").then().statusCode(400)
                .body("message", containsString(named));
    }

    @Test
    void bodiesThatAreNoSpecAre400() {
        refused("null", "request body is not a run spec");
        refused("", "request body is not a run spec");
        refused("not json", "request body is not a run spec");
        refused("[" + SPEC + "]", "request body is not a run spec");
    }

    @Test
    void aSpecOverTheSpecLimitIs400NamingTheBody() {
        // below the 1 MiB body limit but too large to travel inside LaunchAttempt and AttemptStarted
        refused(SPEC.replaceFirst("\\{", "{" + " ".repeat(70_000)), "request body has ");
    }

    @Test
    void fractionsUnknownFieldsHugeSizesAndForeignFilesAre400NamingTheField() {
        refused(SPEC.replace("\"maxSteps\": 100", "\"maxSteps\": 1.5"), "maxSteps");
        refused(SPEC.replace("\"seed\": 1,", "\"seed\": 1, \"maxStep\": 7,"), "maxStep");
        refused(SPEC.replace("\"batchSize\": 8", "\"batchSize\": 2147483647"), "batchSize");
        refused(SPEC.replace("\"hidden\": [8]", "\"hidden\": [2147483647]"), "model.hidden");
        refused(SPEC.replace("\"hidden\": [8]", "\"hidden\": [65536, 8192]"), "runtime.memory must hold the estimated");
        refused(SPEC.replace("{\"type\": \"synthetic\", \"samples\": 64, \"classes\": 2, \"seed\": 2}",
                "{\"type\": \"csv\", \"path\": \"/etc/passwd\"}"), "data.path");
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String huge = SPEC.replace("\"seed\": 1,", "\"seed\": 1, \"pad\": \"" + "x".repeat(2 * 1024 * 1024) + "\",");
        given().contentType(ContentType.JSON).body(huge).when().post("/api/runs").then().statusCode(413);
    }

    @Test
    void hostileRunIdsAre400NamingTheParameterOnEveryPath() {
        for (String id : new String[] {"a\0b", ".hidden", "x".repeat(129), "run\u0007id"}) {
            for (String path : new String[] {"/api/runs/{runId}", "/api/runs/{runId}/attempts",
                    "/api/runs/{runId}/transitions"}) {
                given().get(path, id).then().statusCode(400).body("message", containsString("'runId'"));
            }
            for (String path : new String[] {"/api/runs/{runId}/cancel", "/api/runs/{runId}/resume"}) {
                given().post(path, id).then().statusCode(400).body("message", containsString("'runId'"));
            }
        }
    }

    @Test
    void aPageWhoseFirstRowOverflowsIs400NamingThePage() {
        // page x size past Integer.MAX_VALUE overflowed to a negative first row: a 500 (found by RestFuzz)
        given().get("/api/runs?page=2147483647").then().statusCode(400).body("message", containsString("page"));
        given().get("/api/runs?page=42949673&size=50").then().statusCode(400).body("message", containsString("page"));
        given().get("/api/runs?page=42949672&size=50").then().statusCode(200);
    }
}
