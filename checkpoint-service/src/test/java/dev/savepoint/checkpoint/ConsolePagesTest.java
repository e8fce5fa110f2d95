package dev.savepoint.checkpoint;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.checkpoint.support.CatalogRows;
import dev.savepoint.checkpoint.support.ChartMarks;
import dev.savepoint.security.Role;
import dev.savepoint.stack.SavepointStackResource;
import dev.savepoint.stack.TestStack;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The console's pages from catalog rows (no training): the chart's marks, role-aware actions, keyset pages and
 * filters of the runs list, the spec editor's validation. The scheduler is not running here, so its numbers show "—".
 */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class ConsolePagesTest {

    private static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");

    @Inject
    AgroalDataSource db;

    /** A run killed twice: attempts 2 and 3 resumed at steps 100 and 300; four checkpoints in four states. */
    private String killedTwice() {
        String run = "cps-chart-" + UUID.randomUUID().toString().substring(0, 8);
        CatalogRows rows = new CatalogRows(db);
        rows.run(run, "chart", "RUNNING", 3, 400L, 1000L, Instant.now());
        rows.checkpoint(cp(run, 100), run, 100, 1, "COMMITTED", 0.9, false);
        rows.checkpoint(cp(run, 200), run, 200, 1, "CORRUPT", 0.8, false);
        rows.checkpoint(cp(run, 300), run, 300, 2, "COMMITTED", 0.5, false);
        rows.checkpoint(cp(run, 400), run, 400, 3, "COMMITTED", 0.4, false);
        rows.attempt(run, 1, "FAILED", T0, T0.plusSeconds(60), "KILLED", 137, 250L, null);
        rows.attempt(run, 2, "FAILED", T0.plusSeconds(63), T0.plusSeconds(120), "KILLED", 137, 340L, cp(run, 100));
        rows.attempt(run, 3, "RUNNING", T0.plusSeconds(125), null, null, null, 400L, cp(run, 300));
        return run;
    }

    private static String cp(String run, long step) {
        int attempt = step <= 200 ? 1 : step == 300 ? 2 : 3;
        return dev.savepoint.contracts.checkpoint.CheckpointManifest.checkpointId(run, step, attempt);
    }

    @Test
    void runPageDrawsAMarkPerCheckpointAndPerRestartWithTheLostStepsAndRecovery() {
        String run = killedTwice();
        String page = given().auth().oauth2(TestStack.token(Role.VIEWER)).get("/console/runs/{runId}", run).then()
                .statusCode(200).extract().asString();
        assertEquals(4, ChartMarks.checkpoints(page), "a mark per checkpoint, individually or in a routine path");
        assertEquals(List.of("2", "3"), all(page, "data-restart=\"(\\d+)\""));
        assertTrue(page.contains("150 steps lost, back in 3.0 s"), "attempt 1 reached 250, attempt 2 resumed at 100");
        assertTrue(page.contains("40 steps lost, back in 5.0 s"));
        assertTrue(page.contains("class=\"cp corrupt\" data-checkpoint=\"" + cp(run, 200) + "\""));
        assertTrue(page.contains("class=\"cp latest\" data-checkpoint=\"" + cp(run, 400) + "\""), "the newest is kept");
        // no scheduler in this test: its numbers are unknown, not made up
        assertTrue(page.contains("goodput <b id=\"goodput\">—</b>"));
        // a viewer sees no action
        assertTrue(!page.contains("class=\"pin\"") && !page.contains("fork-submit"), "no actions for a viewer");
    }

    @Test
    void anOperatorPinsFromTheConsoleAndTheMarkTurnsPinnedWhileAViewerIsRefused() {
        String run = killedTwice();
        String id = cp(run, 300);
        given().auth().oauth2(TestStack.token(Role.VIEWER)).redirects().follow(false)
                .post("/console/act/checkpoints/{id}/pin", id).then().statusCode(403);
        String operator = TestStack.token(Role.OPERATOR);
        assertTrue(given().auth().oauth2(operator).get("/console/runs/{runId}", run).asString()
                .contains("class=\"pin\""), "an operator sees the actions");
        given().auth().oauth2(operator).redirects().follow(false).post("/console/act/checkpoints/{id}/pin", id).then()
                .statusCode(303).header("Location", containsString("/console/runs/" + run));
        given().auth().oauth2(operator).get("/console/runs/{runId}", run).then().statusCode(200)
                .body(containsString("class=\"cp pinned\" data-checkpoint=\"" + id + "\""));
        given().auth().oauth2(operator).redirects().follow(false).post("/console/act/checkpoints/{id}/unpin", id)
                .then().statusCode(303);
        given().auth().oauth2(operator).get("/console/runs/{runId}", run).then()
                .body(not(containsString("class=\"cp pinned\" data-checkpoint=\"" + id + "\"")));
    }

    @Test
    void runsListPagesByKeysetThroughEveryMatchingRunOnceAndFiltersByState() {
        String tag = "pg" + UUID.randomUUID().toString().substring(0, 6);
        CatalogRows rows = new CatalogRows(db);
        for (int i = 0; i < 120; i++) {
            // created in pairs at the same instant: the run id breaks the tie, so no run is skipped or repeated
            rows.run("cps-" + tag + "-" + i, tag + "-" + i, i % 17 == 0 ? "FAILED" : "SUCCEEDED", 1, 10L, 10L,
                    T0.plusSeconds(i / 2));
        }
        List<String> seen = new ArrayList<>();
        String next = "/console?q=" + tag;
        int pages = 0;
        while (next != null) {
            String page = given().urlEncodingEnabled(false).get(next).then().statusCode(200).extract().asString();
            seen.addAll(all(page, "<tr data-run=\"([^\"]+)\""));
            List<String> link = all(page, "id=\"next\" href=\"([^\"]+)\"");
            next = link.isEmpty() ? null : link.get(0).replace("&amp;", "&");
            pages++;
        }
        assertEquals(3, pages);
        assertEquals(120, seen.size());
        assertEquals(120, new HashSet<>(seen).size());
        assertEquals("cps-" + tag + "-119", seen.get(0), "newest first");
        String failed = given().queryParam("q", tag).queryParam("state", "failed").get("/console").then()
                .statusCode(200).extract().asString();
        assertEquals(8, all(failed, "<tr data-run=\"([^\"]+)\"").size(), "runs 0, 17, ..., 119");
        given().queryParam("state", "SLEEPING").get("/console").then().statusCode(400)
                .body(containsString("'state'"));
        given().queryParam("after", "yesterday").get("/console").then().statusCode(400)
                .body(containsString("'after'"));
    }

    @Test
    void theSpecEditorReportsEveryProblemByFieldAsTheApiWould() {
        given().contentType(ContentType.JSON).body("{\"name\": \"ok\", \"maxSteps\": 0}")
                .post("/console/act/validate").then().statusCode(200)
                .body("errors.field", org.hamcrest.Matchers.hasItem("maxSteps"));
        given().contentType(ContentType.JSON).body("{\"name\": \"ok\", \"maxSteps\": 1.5}")
                .post("/console/act/validate").then().statusCode(200)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("maxSteps"));
        given().contentType(ContentType.JSON).body("{not json").post("/console/act/validate").then()
                .statusCode(200).body("errors[0].field", org.hamcrest.Matchers.equalTo("body"));
        String example = given().get("/console/submit").then().statusCode(200).extract().asString();
        String spec = all(example, "(?s)<textarea[^>]*>(.*?)</textarea>").get(0).replace("&quot;", "\"");
        given().contentType(ContentType.JSON).body(spec).post("/console/act/validate").then().statusCode(200)
                .body("errors", org.hamcrest.Matchers.empty());
        // without JavaScript: the form posts, and the page lists the problems
        given().contentType(ContentType.URLENC).formParam("spec", "{\"name\": \"ok\", \"maxSteps\": 0}")
                .post("/console/act/submit").then().statusCode(400)
                .body(containsString("data-field=\"maxSteps\""));
        given().auth().oauth2(TestStack.token(Role.VIEWER)).contentType(ContentType.JSON).body(spec)
                .post("/console/act/validate").then().statusCode(403);
    }

    static List<String> all(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
