package dev.savepoint.checkpoint;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

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
    void readinessCoversDatabaseAndStorage() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 's3' }.status", equalTo("UP"))
                .body("checks.find { it.name.contains('Database') }.status", equalTo("UP"))
                .body("checks.find { it.name.contains('Messaging') }.status", equalTo("UP"));
    }

    @Test
    void prometheusExposesCatalogMeters() {
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("savepoint_checkpoints_stored_bytes"));
    }
}
