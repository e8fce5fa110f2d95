package dev.savepoint.trainer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.savepoint.stack.SavepointStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class ServiceHealthTest {

    @Test
    void serviceIsReadyAgainstTheRealStack() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void readinessIncludesTheKafkaChannels() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("SmallRye Reactive Messaging - readiness check"))
                .body("checks.find { it.name == 'SmallRye Reactive Messaging - readiness check' }.data.commands",
                        equalTo("[OK]"))
                .body("checks.find { it.name == 'SmallRye Reactive Messaging - readiness check' }.data."
                        + "'run-events-out'", equalTo("[OK]"));
    }

    @Test
    void metricsCountRunningAndQueuedAttempts() {
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("savepoint_attempts_running"))
                .body(containsString("savepoint_attempts_queued"));
    }
}
