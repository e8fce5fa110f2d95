package dev.savepoint.checkpoint.retention;

import static dev.savepoint.checkpoint.retention.CheckpointRow.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.savepoint.contracts.spec.RetentionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The worked example of Determined's checkpoint GC docs, one Savepoint run per Determined trial:
 * save_trial_best maps to keepBest and save_trial_latest to keepLast. save_experiment_best ranks across
 * trials, which per-run retention does not do, and Savepoint always keeps the newest, so a Determined
 * row with save_trial_latest 0 is compared with keepLast 1 (it gains only each run's newest).
 */
class DeterminedGcExampleTest {

    /** Trial 1: checkpoints 1-5; validation loss missing on 1 and 2, then 0.6, 0.5, 0.4. */
    private static final List<CheckpointView> TRIAL_ONE = trial(1, new Double[] {null, null, 0.6, 0.5, 0.4});
    /** Trial 2: checkpoints 6-10; 0.2 and 0.3 on 7 and 8, missing on 6, 9 and 10. */
    private static final List<CheckpointView> TRIAL_TWO = trial(6, new Double[] {null, 0.2, 0.3, null, null});

    static Stream<Arguments> determinedTableRows() {
        return Stream.of(
                Arguments.of("trial_best 0, trial_latest 1", 0, 1, List.of("10", "5")),
                Arguments.of("trial_best 0, trial_latest 3", 0, 3, List.of("10", "9", "8", "5", "4", "3")),
                Arguments.of("trial_best 1, trial_latest 1", 1, 1, List.of("10", "7", "5")),
                Arguments.of("trial_best 1, trial_latest 0 (+ newest 10)", 1, 1, List.of("10", "7", "5")),
                Arguments.of("trial_best 3, trial_latest 0 (+ newest 10)", 3, 1, List.of("10", "8", "7", "5", "4", "3")),
                Arguments.of("trial_best 5, trial_latest 0 (+ newest 10)", 5, 1, List.of("10", "8", "7", "5", "4", "3")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("determinedTableRows")
    void savedCheckpointsMatchDeterminedDocumentedTable(String row, int keepBest, int keepLast, List<String> saved) {
        RetentionSpec spec = new RetentionSpec(keepLast, keepBest, "validation_loss", "min", 0, null);

        List<String> kept = new ArrayList<>(RetentionPolicy.select(spec, TRIAL_ONE).kept());
        kept.addAll(RetentionPolicy.select(spec, TRIAL_TWO).kept());

        assertEquals(new TreeSet<>(saved), new TreeSet<>(kept), row);
    }

    @Test
    void defaultDeterminedPolicyKeepsBestAndLatestOfTrialTwoAndNamesWhy() {
        RetentionSpec spec = new RetentionSpec(1, 1, "validation_loss", "min", 0, null);

        RetentionDecision decision = RetentionPolicy.select(spec, TRIAL_TWO);

        assertEquals(List.of("6", "8", "9"), decision.toDelete());
        assertEquals(Map.of("6", "beyond keepLast", "7", "keepBest", "8", "beyond keepLast",
                "9", "beyond keepLast", "10", "newest"), decision.reasons());
    }

    private static List<CheckpointView> trial(int firstId, Double[] losses) {
        List<CheckpointView> rows = new ArrayList<>();
        for (int i = 0; i < losses.length; i++) {
            rows.add(row(String.valueOf(firstId + i), 100L * (i + 1)).metric("validation_loss", losses[i]).build());
        }
        return rows;
    }
}
