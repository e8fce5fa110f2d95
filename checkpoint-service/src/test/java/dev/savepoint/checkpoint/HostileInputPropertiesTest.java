package dev.savepoint.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.stack.RestFuzz;
import dev.savepoint.stack.SavepointStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hostile input, property-based, over every operation of this service's OpenAPI document (local-stack's RestFuzz:
 * jqwik generators drawn with one printed seed; repeat a run with -Dfuzz.seed=...): never a 5xx, and every
 * 400 names the parameter or field it refuses (but a 503 from a console action, whose scheduler is not running here).
 */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class HostileInputPropertiesTest {

    @Test
    void everyOperationAnswersHostileInputBelow500AndNamesWhatItRefuses() {
        // the console's actions call scheduler-service, which this module's tests do not run: 503 is their answer
        RestFuzz.Result result = RestFuzz.run(RestFuzz.seed(), 200, op -> op.path().startsWith("/console/act/"));

        assertTrue(result.operations().size() >= 17, "the walk found the operations: " + result.operations());
        assertEquals(List.of(), result.problems(), "seed " + result.seed() + ", statuses " + result.statuses());
    }
}
