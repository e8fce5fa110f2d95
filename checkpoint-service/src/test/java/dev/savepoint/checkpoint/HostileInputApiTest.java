package dev.savepoint.checkpoint;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import dev.savepoint.stack.SavepointStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Hostile ids on every path of the catalog API and the console: a 400 naming the parameter, never a 5xx from
 * PostgreSQL ("invalid byte sequence" for a NUL byte); an over-large body is 413.
 */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class HostileInputApiTest {

    private static final String[] BAD_IDS = {"a\0b", ".hidden", "x".repeat(129), "bell\u0007"};

    @Test
    void hostileRunIdsAre400NamingTheParameter() {
        for (String id : BAD_IDS) {
            for (String path : new String[] {"/api/runs/{runId}", "/api/runs/{runId}/attempts",
                    "/api/runs/{runId}/checkpoints", "/api/runs/{runId}/checkpoints/latest", "/console/runs/{runId}"}) {
                given().get(path, id).then().statusCode(400).body("message", containsString("'runId'"));
            }
            given().contentType(ContentType.JSON).body("{}").post("/api/runs/{runId}/checkpoints/latest/lease", id)
                    .then().statusCode(400).body("message", containsString("'runId'"));
        }
    }

    @Test
    void hostileCheckpointAndLeaseIdsAre400NamingTheParameter() {
        for (String id : new String[] {"a\0b", "not-a-uuid", "../" + UUID.randomUUID()}) {
            given().get("/api/checkpoints/{id}", id).then().statusCode(400).body("message", containsString("'id'"));
            given().delete("/api/checkpoints/{id}", id).then().statusCode(400).body("message", containsString("'id'"));
            given().post("/api/checkpoints/{id}/pin", id).then().statusCode(400).body("message", containsString("'id'"));
            given().delete("/api/checkpoints/{id}/pin", id).then().statusCode(400)
                    .body("message", containsString("'id'"));
            given().contentType(ContentType.JSON).body("{\"ttlSeconds\": 60, \"holder\": \"h\"}")
                    .post("/api/checkpoints/{id}/lease", id).then().statusCode(400)
                    .body("message", containsString("'id'"));
            given().contentType(ContentType.JSON).body("{\"message\": \"r\"}").post("/api/checkpoints/{id}/corrupt", id)
                    .then().statusCode(400).body("message", containsString("'id'"));
            given().get("/api/checkpoints/{id}/files/{name}", id, "model.safetensors").then().statusCode(400)
                    .body("message", containsString("'id'"));
            given().delete("/api/leases/{leaseId}", id).then().statusCode(400)
                    .body("message", containsString("'leaseId'"));
        }
    }

    @Test
    void hostileFileNamesAre400NamingTheParameter() {
        String id = UUID.randomUUID().toString();
        for (String name : new String[] {"a\0b", "..secret", "a\\b", "x".repeat(256)}) {
            given().get("/api/checkpoints/{id}/files/{name}", id, name).then().statusCode(400)
                    .body("message", containsString("'name'"));
        }
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String reason = "x".repeat(2 * 1024 * 1024);
        given().contentType(ContentType.JSON).body("{\"message\": \"" + reason + "\"}")
                .post("/api/checkpoints/{id}/corrupt", UUID.randomUUID().toString()).then().statusCode(413);
    }

    @Test
    void aPageWhoseFirstRowOverflowsIs400NamingThePage() {
        // page x size past Integer.MAX_VALUE overflowed to a negative first row: a 500 (found by RestFuzz)
        given().get("/api/runs?page=2147483647").then().statusCode(400).body("message", containsString("'page'"));
        given().get("/api/runs/{runId}/checkpoints?page=1073741824&size=2", "no-such-run").then().statusCode(400)
                .body("message", containsString("'page'"));
        // the console's runs are paged by a keyset cursor: one that does not parse is a 400 naming it
        given().get("/console?after=2147483647").then().statusCode(400).body("message", containsString("'after'"));
    }

    @Test
    void aBodyGivingAFieldTwiceIs400NotA500() {
        // Jackson's InvalidDefinitionException for a record given 'message' twice was Quarkus's 500 (found by RestFuzz)
        given().contentType(ContentType.JSON).body("{\"message\": \"a\", \"message\": [1]}")
                .post("/api/checkpoints/{id}/corrupt", UUID.randomUUID().toString()).then().statusCode(400)
                .body("message", containsString("message"));
    }
}
