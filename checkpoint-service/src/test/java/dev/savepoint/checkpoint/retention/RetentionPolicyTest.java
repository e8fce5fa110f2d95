package dev.savepoint.checkpoint.retention;

import static dev.savepoint.checkpoint.retention.CheckpointRow.row;
import static dev.savepoint.checkpoint.retention.CheckpointRow.spec;
import static dev.savepoint.checkpoint.retention.CheckpointRow.steps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.spec.RetentionSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The keep rules of {@link RetentionPolicy}, one at a time and in combination. */
class RetentionPolicyTest {

    /** Five checkpoints whose newest has the worst loss and the largest size: every rule would like it gone. */
    private static final List<CheckpointView> NEWEST_IS_WORST = List.of(
            row("s100", 100).loss(0.1).build(), row("s200", 200).loss(0.2).build(),
            row("s300", 300).loss(0.3).build(), row("s400", 400).loss(0.4).build(),
            row("s500", 500).loss(9.9).bytes(1_000).build());

    static Stream<RetentionSpec> specsThatWouldDropTheNewest() {
        return Stream.of(spec(1, 0, 0, null), spec(1, 4, 0, null), spec(1, 0, 200, null),
                spec(1, 4, 100, 0L), new RetentionSpec(1, 2, "accuracy", "max", 0, 1L));
    }

    @ParameterizedTest
    @MethodSource("specsThatWouldDropTheNewest")
    void retentionNeverDeletesNewestCommittedCheckpoint(RetentionSpec spec) {
        RetentionDecision decision = RetentionPolicy.select(spec, NEWEST_IS_WORST);

        assertFalse(decision.toDelete().contains("s500"));
        assertEquals("newest", decision.reasons().get("s500"));
    }

    static Stream<Arguments> holds() {
        return Stream.of(Arguments.of(true, false, "pinned"), Arguments.of(false, true, "leased"),
                Arguments.of(true, true, "pinned"));
    }

    @ParameterizedTest(name = "pinned={0} leased={1}")
    @MethodSource("holds")
    void pinnedAndLeasedCheckpointsSurviveKeepLastAndBudget(boolean pinned, boolean leased, String reason) {
        CheckpointRow held = row("s100", 100);
        if (pinned) {
            held.pinned();
        }
        if (leased) {
            held.leased();
        }
        List<CheckpointView> rows = List.of(held.build(), row("s200", 200).build(), row("s300", 300).build());

        RetentionDecision decision = RetentionPolicy.select(spec(1, 0, 0, 0L), rows);

        assertEquals(List.of("s200"), decision.toDelete());
        assertEquals(reason, decision.reasons().get("s100"));
    }

    @Test
    void aCheckpointARunWasForkedFromSurvivesKeepLastAndBudget() {
        List<CheckpointView> rows = List.of(row("s100", 100).bytes(1000).forkBase().build(),
                row("s200", 200).bytes(1000).build(), row("s300", 300).bytes(1000).build());

        RetentionDecision decision = RetentionPolicy.select(spec(1, 0, 0, 1L), rows);

        assertEquals(List.of("s200"), decision.toDelete());
        assertEquals("forkBase", decision.reasons().get("s100"));
    }

    @ParameterizedTest
    @EnumSource(value = CheckpointState.class, mode = EnumSource.Mode.EXCLUDE, names = "COMMITTED")
    void nonCommittedRowsAreNeitherSelectedNorCounted(CheckpointState state) {
        List<CheckpointView> run = List.of(row("s100", 100).build(), row("s200", 200).build(),
                row("s300", 300).build(), row("x150", 150).state(state).build(),
                row("x400", 400).state(state).loss(0.0).build());

        RetentionDecision decision = RetentionPolicy.select(spec(2, 1, 0, null), run);

        assertEquals(List.of("s100"), decision.toDelete());
        assertEquals(List.of("s100", "s200", "s300"), List.copyOf(decision.reasons().keySet()));
        assertEquals("newest", decision.reasons().get("s300"));
    }

    static Stream<Arguments> keepLastSizes() {
        return Stream.of(Arguments.of(1, List.of("s500")), Arguments.of(2, List.of("s400", "s500")),
                Arguments.of(4, List.of("s200", "s300", "s400", "s500")),
                Arguments.of(9, List.of("s100", "s200", "s300", "s400", "s500")));
    }

    @ParameterizedTest(name = "keepLast={0}")
    @MethodSource("keepLastSizes")
    void keepLastKeepsTheNewestByStep(int keepLast, List<String> kept) {
        assertEquals(kept, RetentionPolicy.select(spec(keepLast, 0, 0, null), steps(300, 100, 500, 200, 400)).kept());
    }

    static Stream<Arguments> bestByMode() {
        return Stream.of(Arguments.of("min", 1, List.of("s200", "s600")),
                Arguments.of("min", 2, List.of("s200", "s400", "s600")),
                Arguments.of("max", 1, List.of("s300", "s600")),
                Arguments.of("MAX", 2, List.of("s100", "s300", "s600")));
    }

    @ParameterizedTest(name = "mode={0} keepBest={1}")
    @MethodSource("bestByMode")
    void keepBestRanksByMetricInTheGivenDirection(String mode, int keepBest, List<String> kept) {
        List<CheckpointView> run = List.of(row("s100", 100).loss(0.7).build(), row("s200", 200).loss(0.1).build(),
                row("s300", 300).loss(0.9).build(), row("s400", 400).loss(0.3).build(),
                row("s500", 500).loss(0.5).build(), row("s600", 600).loss(0.6).build());

        RetentionSpec spec = new RetentionSpec(1, keepBest, "loss", mode, 0, null);

        assertEquals(kept, RetentionPolicy.select(spec, run).kept());
    }

    @Test
    void checkpointWithoutAFiniteMetricIsNeverBest() {
        List<CheckpointView> run = List.of(row("s100", 100).loss(0.5).build(), row("s200", 200).build(),
                row("s300", 300).loss(Double.NaN).build(), row("s400", 400).loss(Double.NEGATIVE_INFINITY).build(),
                row("s500", 500).metric("loss", null).build(), row("s600", 600).build());

        assertEquals(List.of("s100", "s600"), RetentionPolicy.select(spec(1, 3, 0, null), run).kept());
    }

    @Test
    void equalMetricsPreferTheNewerCheckpoint() {
        List<CheckpointView> run = List.of(row("s100", 100).loss(0.2).build(), row("s200", 200).loss(0.2).build(),
                row("s300", 300).loss(0.9).build());

        assertEquals(List.of("s200", "s300"), RetentionPolicy.select(spec(1, 1, 0, null), run).kept());
    }

    static Stream<Arguments> everySteps() {
        return Stream.of(Arguments.of(0, List.of("s1000")), Arguments.of(300, List.of("s300", "s600", "s900", "s1000")),
                Arguments.of(500, List.of("s500", "s1000")));
    }

    @ParameterizedTest(name = "keepEverySteps={0}")
    @MethodSource("everySteps")
    void keepEveryStepsKeepsMultiplesAndZeroTurnsItOff(int every, List<String> kept) {
        List<CheckpointView> run = steps(100, 200, 300, 400, 500, 600, 700, 800, 900, 1000);

        assertEquals(kept, RetentionPolicy.select(spec(1, 0, every, null), run).kept());
    }

    @Test
    void reasonNamesTheFirstMatchingRule() {
        List<CheckpointView> run = List.of(row("s100", 100).loss(0.5).build(), row("s200", 200).loss(0.1).build(),
                row("s300", 300).pinned().leased().build(), row("s400", 400).loss(0.2).build(),
                row("s500", 500).build(), row("s600", 600).loss(0.3).pinned().leased().build());

        RetentionDecision decision = RetentionPolicy.select(spec(2, 2, 100, null), run);

        assertEquals(Map.of("s100", "keepEverySteps", "s200", "keepBest", "s300", "pinned",
                "s400", "keepBest", "s500", "keepLast", "s600", "newest"), decision.reasons());
        assertTrue(decision.toDelete().isEmpty());
    }

    @Test
    void decisionDoesNotDependOnInputOrder() {
        List<CheckpointView> run = new ArrayList<>();
        for (long step = 100; step <= 2000; step += 100) {
            run.add(row("s" + step, step).loss(Math.abs(step - 700) / 1000.0).bytes(step).build());
        }
        RetentionSpec spec = spec(3, 2, 500, 6_000L);
        RetentionDecision expected = RetentionPolicy.select(spec, run);

        for (int seed = 0; seed < 5; seed++) {
            List<CheckpointView> shuffled = new ArrayList<>(run);
            Collections.shuffle(shuffled, new Random(seed));
            assertEquals(expected, RetentionPolicy.select(spec, shuffled));
        }
        assertEquals(List.of("s100", "s200"), expected.toDelete().subList(0, 2));
    }

    @Test
    void emptyRunDeletesNothing() {
        RetentionDecision decision = RetentionPolicy.select(RetentionSpec.defaults(), List.of());

        assertTrue(decision.toDelete().isEmpty());
        assertTrue(decision.reasons().isEmpty());
    }

    static Stream<Arguments> invalidSpecs() {
        return Stream.of(Arguments.of(spec(0, 0, 0, null), "retention.keepLast is 0"),
                Arguments.of(spec(1, -1, 0, null), "retention.keepBest is -1"),
                Arguments.of(spec(1, 0, -5, null), "retention.keepEverySteps is -5"),
                Arguments.of(spec(1, 0, 0, -1L), "retention.maxTotalBytes is -1"),
                Arguments.of(new RetentionSpec(1, 1, "loss", "median", 0, null), "retention.mode is 'median'"),
                Arguments.of(new RetentionSpec(1, 1, " ", "min", 0, null), "retention.metric is blank"));
    }

    @ParameterizedTest
    @MethodSource("invalidSpecs")
    void outOfRangeSpecIsRejectedNamingTheValue(RetentionSpec spec, String message) {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> RetentionPolicy.select(spec, steps(100)));

        assertTrue(error.getMessage().startsWith(message), error.getMessage());
    }
}
