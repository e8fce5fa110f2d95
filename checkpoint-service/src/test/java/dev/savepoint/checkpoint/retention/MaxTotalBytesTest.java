package dev.savepoint.checkpoint.retention;

import static dev.savepoint.checkpoint.retention.CheckpointRow.row;
import static dev.savepoint.checkpoint.retention.CheckpointRow.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The byte budget: which kept checkpoints go first, and what it never removes. */
class MaxTotalBytesTest {

    /**
     * Ten 10-byte checkpoints, steps 100 to 1000, loss lowest at step 300. With keepLast 3, keepBest 1
     * and keepEverySteps 500 the rules keep 300 (keepBest), 500 (keepEverySteps), 800 and 900 (keepLast)
     * and 1000 (newest): 50 bytes.
     */
    private static List<CheckpointView> tenSteps() {
        List<CheckpointView> run = new ArrayList<>();
        for (long step = 100; step <= 1000; step += 100) {
            run.add(row("s" + step, step).loss(step == 300 ? 0.1 : 1.0 + step / 1000.0).build());
        }
        return run;
    }

    static Stream<Arguments> budgets() {
        return Stream.of(
                Arguments.of(null, List.of("s300", "s500", "s800", "s900", "s1000")),
                Arguments.of(50L, List.of("s300", "s500", "s800", "s900", "s1000")),
                Arguments.of(49L, List.of("s300", "s800", "s900", "s1000")),
                Arguments.of(40L, List.of("s300", "s800", "s900", "s1000")),
                Arguments.of(30L, List.of("s800", "s900", "s1000")),
                Arguments.of(20L, List.of("s900", "s1000")),
                Arguments.of(10L, List.of("s1000")),
                Arguments.of(0L, List.of("s1000")));
    }

    @ParameterizedTest(name = "maxTotalBytes={0}")
    @MethodSource("budgets")
    void budgetDropsKeepEveryStepsThenKeepBestThenOldestKeepLast(Long maxTotalBytes, List<String> kept) {
        RetentionDecision decision = RetentionPolicy.select(spec(3, 1, 500, maxTotalBytes), tenSteps());

        assertEquals(kept, decision.kept());
    }

    @Test
    void droppedCheckpointsNameTheBudgetAsTheirReason() {
        RetentionDecision decision = RetentionPolicy.select(spec(3, 1, 500, 30L), tenSteps());

        assertEquals("over maxTotalBytes", decision.reasons().get("s300"));
        assertEquals("over maxTotalBytes", decision.reasons().get("s500"));
        assertEquals("beyond keepLast", decision.reasons().get("s400"));
        assertEquals(List.of("s100", "s200", "s300", "s400", "s500", "s600", "s700"), decision.toDelete());
    }

    @Test
    void withinKeepBestTheWorseCheckpointGoesFirstEvenIfNewer() {
        List<CheckpointView> run = List.of(row("s100", 100).loss(0.1).build(), row("s200", 200).loss(0.2).build(),
                row("s300", 300).loss(0.9).build());

        assertEquals(List.of("s100", "s300"), RetentionPolicy.select(spec(1, 2, 0, 20L), run).kept());
    }

    @Test
    void withinKeepEveryStepsTheOldestGoesFirst() {
        List<CheckpointView> run = CheckpointRow.steps(100, 200, 300, 400, 500);

        assertEquals(List.of("s400", "s500"), RetentionPolicy.select(spec(1, 0, 100, 20L), run).kept());
    }

    @Test
    void protectedCheckpointsStayEvenWhenTheyAloneExceedTheBudget() {
        List<CheckpointView> run = List.of(row("pinned", 100).bytes(50).pinned().build(),
                row("leased", 200).bytes(50).leased().build(), row("s300", 300).bytes(5).build(),
                row("s400", 400).bytes(5).build(), row("newest", 500).bytes(50).build());

        RetentionDecision decision = RetentionPolicy.select(spec(3, 0, 0, 100L), run);

        assertEquals(List.of("pinned", "leased", "newest"), decision.kept());
        assertEquals(List.of("s300", "s400"), decision.toDelete());
    }

    @Test
    void bytesOfNonCommittedRowsDoNotCountAgainstTheBudget() {
        List<CheckpointView> run = new ArrayList<>(tenSteps());
        run.add(row("pending", 1100).bytes(1_000).state(CheckpointState.PENDING).build());
        run.add(row("partial", 50).bytes(1_000).state(CheckpointState.PARTIALLY_DELETED).build());

        RetentionDecision decision = RetentionPolicy.select(spec(3, 1, 500, 50L), run);

        assertEquals(List.of("s300", "s500", "s800", "s900", "s1000"), decision.kept());
    }
}
