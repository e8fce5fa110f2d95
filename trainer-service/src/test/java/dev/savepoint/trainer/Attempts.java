package dev.savepoint.trainer;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.LaunchAttempt;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.stack.KafkaTestClient;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;

/** Test specs, launch commands and waits on {@code /api/attempts}. */
public final class Attempts {

    /** Finishes in seconds. */
    public static final String SHORT_SPEC = "{\"name\":\"t\",\"seed\":1,\"maxSteps\":300,\"batchSize\":16,"
            + "\"model\":{\"type\":\"mlp\",\"inputs\":8,\"hidden\":[16],\"outputs\":3},"
            + "\"data\":{\"type\":\"synthetic\",\"samples\":256,\"classes\":3,\"seed\":2},"
            + "\"optimizer\":{\"type\":\"sgd\",\"lr\":0.05},\"checkpoint\":{\"everySteps\":50}}";
    /** Trains until stopped. */
    public static final String ENDLESS_SPEC = SHORT_SPEC.replace("\"maxSteps\":300", "\"maxSteps\":100000000")
            .replace("\"everySteps\":50", "\"everySteps\":1000000");

    public static final Duration TIMEOUT = Duration.ofSeconds(120);

    private Attempts() {
    }

    /** A run id of this service's tests (the test profile handles only ids starting with ts-). */
    public static String runId(String what) {
        return "ts-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static LaunchAttempt launch(String runId, int attempt, String spec) {
        return LaunchAttempt.of(runId, attempt, Json.read(spec, RunSpec.class), null, null);
    }

    public static void send(LaunchAttempt command) {
        KafkaTestClient.send(Topics.COMMANDS, command);
    }

    /** Waits until both consumers of this service hold partitions: in tests they read from the end. */
    public static void awaitConsumersAssigned() {
        for (String channel : List.of("commands", "run-events")) {
            KafkaTestClient.awaitAssigned(ConfigProvider.getConfig().getValue(
                    "mp.messaging.incoming." + channel + ".group.id", String.class), Duration.ofSeconds(60));
        }
    }

    /** GET /api/attempts/{runId}/{attempt}. */
    public static JsonPath view(String runId, int attempt) {
        return given().get("/api/attempts/{run}/{attempt}", runId, attempt).then().statusCode(200).extract()
                .jsonPath();
    }

    public static JsonPath awaitState(String runId, int attempt, String state) {
        await().atMost(TIMEOUT).ignoreExceptions().until(
                () -> given().get("/api/attempts/{run}/{attempt}", runId, attempt).then().extract().path("state"),
                s -> state.equals(s));
        return view(runId, attempt);
    }
}
