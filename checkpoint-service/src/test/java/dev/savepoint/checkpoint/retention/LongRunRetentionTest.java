package dev.savepoint.checkpoint.retention;

import static dev.savepoint.checkpoint.retention.CheckpointRow.row;
import static dev.savepoint.checkpoint.retention.CheckpointRow.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A whole 50-checkpoint run under the demo policy, with the exact surviving set predicted by hand. */
class LongRunRetentionTest {

    /** Steps 100 to 5000 every 100; loss falls to its minimum at step 2300, then rises (overfitting). */
    private static List<CheckpointView> fiftyCheckpoints() {
        List<CheckpointView> run = new ArrayList<>();
        for (long step = 100; step <= 5000; step += 100) {
            run.add(row("s" + step, step).loss(0.1 + Math.abs(step - 2300) / 10_000.0).build());
        }
        return run;
    }

    @Test
    void keepLastThreeBestOneEveryThousandStepsKeepsEightCheckpoints() {
        RetentionDecision decision = RetentionPolicy.select(spec(3, 1, 1000, null), fiftyCheckpoints());

        Map<String, String> keptReasons = new LinkedHashMap<>();
        decision.kept().forEach(id -> keptReasons.put(id, decision.reasons().get(id)));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("s1000", "keepEverySteps");
        expected.put("s2000", "keepEverySteps");
        expected.put("s2300", "keepBest");
        expected.put("s3000", "keepEverySteps");
        expected.put("s4000", "keepEverySteps");
        expected.put("s4800", "keepLast");
        expected.put("s4900", "keepLast");
        expected.put("s5000", "newest");
        assertEquals(expected, keptReasons);
        assertEquals(42, decision.toDelete().size());
        assertEquals("s100", decision.toDelete().get(0));
        assertEquals("s4700", decision.toDelete().get(41));
        assertEquals(50, decision.reasons().size());
    }
}
