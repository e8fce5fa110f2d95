package dev.savepoint.scheduler.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class RunStateTest {

    private static final Set<String> LEGAL = Set.of(
            "SUBMITTED>LAUNCHING",
            "LAUNCHING>RUNNING", "LAUNCHING>FAILED", "LAUNCHING>CANCELLED",
            "RUNNING>SUCCEEDED", "RUNNING>FAILED", "RUNNING>CANCELLED",
            "FAILED>BACKOFF", "FAILED>GAVE_UP",
            "BACKOFF>LAUNCHING", "BACKOFF>CANCELLED");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "SUBMITTED, LAUNCHING", "LAUNCHING, RUNNING", "LAUNCHING, FAILED", "LAUNCHING, CANCELLED",
        "RUNNING, SUCCEEDED", "RUNNING, FAILED", "RUNNING, CANCELLED", "FAILED, BACKOFF", "FAILED, GAVE_UP",
        "BACKOFF, LAUNCHING", "BACKOFF, CANCELLED"
    })
    void legalTransitionReturnsTheTargetState(RunState from, RunState to) {
        assertEquals(to, from.moveTo(to));
    }

    static Stream<Arguments> illegalPairs() {
        return EnumSet.allOf(RunState.class).stream()
                .flatMap(from -> EnumSet.allOf(RunState.class).stream().map(to -> Arguments.of(from, to)))
                .filter(pair -> !LEGAL.contains(pair.get()[0] + ">" + pair.get()[1]));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("illegalPairs")
    void illegalTransitionThrowsNamingFromAndTo(RunState from, RunState to) {
        IllegalTransitionException thrown = assertThrows(IllegalTransitionException.class, () -> from.moveTo(to));
        assertTrue(thrown.getMessage().contains(from + " -> " + to), thrown.getMessage());
        assertEquals(from, thrown.from());
        assertEquals(to, thrown.to());
    }

    @Test
    void onlySucceededGaveUpAndCancelledAreTerminal() {
        EnumSet<RunState> terminal = EnumSet.noneOf(RunState.class);
        for (RunState state : RunState.values()) {
            if (state.terminal()) {
                terminal.add(state);
            }
        }
        assertEquals(EnumSet.of(RunState.SUCCEEDED, RunState.GAVE_UP, RunState.CANCELLED), terminal);
    }

    @ParameterizedTest
    @EnumSource(value = RunState.class, names = {"GAVE_UP", "CANCELLED"})
    void userResumeLeadsFromGaveUpAndCancelledToLaunching(RunState from) {
        assertEquals(RunState.LAUNCHING, from.resumeTo());
    }

    @ParameterizedTest
    @EnumSource(value = RunState.class, names = {"GAVE_UP", "CANCELLED"}, mode = EnumSource.Mode.EXCLUDE)
    void resumeFromAnyOtherStateThrowsNamingFromAndTo(RunState from) {
        IllegalTransitionException thrown = assertThrows(IllegalTransitionException.class, from::resumeTo);
        assertTrue(thrown.getMessage().contains(from + " -> LAUNCHING"), thrown.getMessage());
    }
}
