package dev.savepoint.checkpoint.retention;

import static dev.savepoint.checkpoint.retention.CheckpointRow.row;
import static dev.savepoint.checkpoint.retention.CheckpointRow.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A later attempt's checkpoint at a step an earlier attempt already committed replaces the earlier one: retention
 * does not count the replaced one among keepLast, keepBest or keepEverySteps and deletes it unless it is held.
 */
class ReplacedCheckpointsTest {

    /** Attempt 1 committed 100..300 (its 300 landed after attempt 2 had resumed from 200); attempt 2 wrote 300, 400. */
    private static List<CheckpointView> rows(CheckpointRow replaced) {
        return List.of(row("a1-100", 100).loss(0.5).build(), row("a1-200", 200).loss(0.4).build(),
                replaced.build(), row("a2-300", 300).attempt(2).createdAtSecond(900).loss(0.3).build(),
                row("a2-400", 400).attempt(2).createdAtSecond(1000).loss(0.2).build());
    }

    private static CheckpointRow attemptOnesStep300() {
        return row("a1-300", 300).loss(0.01); // the best loss: keepBest would like it
    }

    @Test
    void theEarlierAttemptsCheckpointAtTheSameStepIsReplacedByTheLaterOnes() {
        assertEquals(Map.of("a1-300", "a2-300"), Replacements.of(rows(attemptOnesStep300())));
    }

    @Test
    void aReplacedCheckpointIsNotCountedByKeepLastAndIsDeletedAsReplaced() {
        RetentionDecision decision = RetentionPolicy.select(spec(3, 0, 0, null), rows(attemptOnesStep300()));

        assertEquals(List.of("a1-100", "a1-300"), decision.toDelete());
        assertEquals(Map.of("a1-100", "beyond keepLast", "a1-200", "keepLast", "a1-300", "replaced",
                "a2-300", "keepLast", "a2-400", "newest"), decision.reasons());
        assertEquals(Map.of("a1-300", "a2-300"), decision.replacedBy());
    }

    @Test
    void aReplacedCheckpointIsNeitherKeptAsBestNorByKeepEverySteps() {
        RetentionDecision decision = RetentionPolicy.select(spec(1, 1, 300, null), rows(attemptOnesStep300()));

        // a1-300 has the best loss of all and a step that is a multiple of 300, yet only a2-300 is kept for the step
        assertEquals(Map.of("a1-100", "beyond keepLast", "a1-200", "beyond keepLast", "a1-300", "replaced",
                "a2-300", "keepEverySteps", "a2-400", "newest"), decision.reasons());
        assertEquals(List.of("a1-100", "a1-200", "a1-300"), decision.toDelete());
    }

    @Test
    void aPinnedOrLeasedReplacedCheckpointIsKeptAndStillShownAsReplaced() {
        RetentionDecision pinned = RetentionPolicy.select(spec(1, 0, 0, null), rows(attemptOnesStep300().pinned()));
        RetentionDecision leased = RetentionPolicy.select(spec(1, 0, 0, 0L), rows(attemptOnesStep300().leased()));

        assertFalse(pinned.toDelete().contains("a1-300"));
        assertEquals("pinned", pinned.reasons().get("a1-300"));
        assertFalse(leased.toDelete().contains("a1-300"), "a lease outlasts even a byte budget of 0");
        assertEquals("leased", leased.reasons().get("a1-300"));
        assertEquals("a2-300", leased.replacedBy().get("a1-300"));
    }

    @Test
    void theNewestIsNeverAReplacedOneEvenWhenItWasCreatedLast() {
        List<CheckpointView> rows = List.of(row("a2-300", 300).attempt(2).createdAtSecond(10).build(),
                row("a1-300", 300).createdAtSecond(20).build());

        RetentionDecision decision = RetentionPolicy.select(spec(1, 0, 0, null), rows);

        assertEquals("newest", decision.reasons().get("a2-300"));
        assertEquals(List.of("a1-300"), decision.toDelete());
    }

    @Test
    void withoutRepeatedStepsNothingIsReplaced() {
        RetentionDecision decision = RetentionPolicy.select(spec(2, 0, 0, null), CheckpointRow.steps(100, 200, 300));

        assertEquals(Map.of(), decision.replacedBy());
        assertFalse(decision.reasons().containsValue("replaced"));
    }
}
