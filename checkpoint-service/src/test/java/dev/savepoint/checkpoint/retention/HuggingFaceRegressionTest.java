package dev.savepoint.checkpoint.retention;

import static dev.savepoint.checkpoint.retention.CheckpointRow.row;
import static dev.savepoint.checkpoint.retention.CheckpointRow.spec;
import static dev.savepoint.checkpoint.retention.CheckpointRow.steps;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.savepoint.contracts.spec.RetentionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Failure modes reported against the Hugging Face Trainer's save_total_limit, replayed against keepLast/keepBest. */
class HuggingFaceRegressionTest {

    static Stream<Arguments> runsOfEveryLength() {
        return Stream.of(
                Arguments.of(steps(100), List.of()),
                Arguments.of(steps(100, 200), List.of("s100")),
                Arguments.of(steps(100, 200, 300, 400, 500), List.of("s100", "s200", "s300", "s400")));
    }

    @ParameterizedTest
    @MethodSource("runsOfEveryLength")
    void limitOfOneKeepsExactlyTheNewestInsteadOfDeletingEverything(List<CheckpointView> run, List<String> deleted) {
        RetentionDecision decision = RetentionPolicy.select(spec(1, 0, 0, null), run);

        assertEquals(deleted, decision.toDelete());
        assertEquals(List.of(run.get(run.size() - 1).id()), decision.kept());
    }

    static Stream<Arguments> outOfOrderArrivals() {
        return Stream.of(
                Arguments.of("names sort 1000 before 900 and mtimes are inverted", List.of(
                        row("checkpoint-1100", 1100).createdAtSecond(1).build(),
                        row("checkpoint-900", 900).createdAtSecond(3).build(),
                        row("checkpoint-1000", 1000).createdAtSecond(2).build()),
                        List.of("checkpoint-1000", "checkpoint-1100")),
                Arguments.of("resumed attempt writes a lower step after a higher one", List.of(
                        row("a1-100", 100).build(), row("a1-200", 200).build(),
                        row("a1-300", 300).build(), row("a1-400", 400).build(),
                        row("a2-300", 300).attempt(2).createdAtSecond(9_000).build()),
                        List.of("a2-300", "a1-400")),
                Arguments.of("same step from three attempts: the latest attempt's replaces the others", List.of(
                        row("a3-300", 300).attempt(3).createdAtSecond(1).build(),
                        row("a1-300", 300).attempt(1).createdAtSecond(3).build(),
                        row("a2-300", 300).attempt(2).createdAtSecond(2).build()),
                        List.of("a3-300")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outOfOrderArrivals")
    void keepLastOrdersByStepSoTheNewestIsNeverTheOneDeleted(
            String scenario, List<CheckpointView> run, List<String> keptOldestFirst) {
        RetentionDecision decision = RetentionPolicy.select(spec(2, 0, 0, null), run);

        assertEquals(keptOldestFirst, decision.kept(), scenario);
    }

    static Stream<Arguments> bestFarFromTheEnd() {
        return Stream.of(
                Arguments.of("min", "loss", new double[] {0.9, 0.1, 0.4, 0.5, 0.6, 0.7}),
                Arguments.of("max", "accuracy", new double[] {0.2, 0.95, 0.6, 0.5, 0.4, 0.3}));
    }

    @ParameterizedTest(name = "mode {0}")
    @MethodSource("bestFarFromTheEnd")
    void bestCheckpointIsNotRotatedAwayByKeepLastOfOne(String mode, String metric, double[] values) {
        List<CheckpointView> run = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            run.add(row("s" + (i + 1) * 100, (i + 1) * 100L).metric(metric, values[i]).build());
        }
        RetentionSpec spec = new RetentionSpec(1, 1, metric, mode, 0, null);

        RetentionDecision decision = RetentionPolicy.select(spec, run);

        assertEquals(List.of("s200", "s600"), decision.kept());
        assertEquals("keepBest", decision.reasons().get("s200"));
        assertEquals("newest", decision.reasons().get("s600"));
    }
}
