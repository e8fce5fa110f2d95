package dev.savepoint.scheduler.flow;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;

/** Run specs for the scheduler's flow tests: tiny, with short backoffs and heartbeat periods. */
final class Fixtures {

    private Fixtures() {
    }

    static String spec(String name, int crashLoopLimit, int maxRestarts) {
        return """
                {"name": "%s", "seed": 1, "maxSteps": 100, "batchSize": 8,
                 "model": {"type": "mlp", "inputs": 4, "hidden": [8], "outputs": 2},
                 "data": {"type": "synthetic", "samples": 64, "classes": 2, "seed": 2},
                 "optimizer": {"type": "sgd", "lr": 0.1},
                 "restart": {"maxRestarts": %d, "backoffInitialMs": 50, "backoffMaxMs": 200,
                             "crashLoopLimit": %d},
                 "runtime": {"heartbeatMillis": 200}}
                """.formatted(name, maxRestarts, crashLoopLimit);
    }

    /** Submits a spec and returns the new run's id. */
    static String submit(String spec) {
        return given().contentType(ContentType.JSON).body(spec).when().post("/api/runs").then().statusCode(201)
                .extract().path("runId");
    }

    /** The spec a run was submitted with, as the API stores it. */
    static dev.savepoint.contracts.spec.RunSpec runSpec(String runId) {
        return dev.savepoint.contracts.Json.read(spec(runId.substring(0, runId.lastIndexOf('-')), 5, 5),
                dev.savepoint.contracts.spec.RunSpec.class);
    }

    static String state(String runId) {
        return given().when().get("/api/runs/" + runId).then().statusCode(200).extract().path("state");
    }

    /** Whether the run shows a committed checkpoint at or after this step. */
    static boolean checkpointSeen(String runId, long step) {
        Number seen = given().when().get("/api/runs/" + runId).then().statusCode(200).extract()
                .path("newestCommittedStep");
        return seen != null && seen.longValue() >= step;
    }
}
