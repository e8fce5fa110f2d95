package dev.savepoint.trainer.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Cumulative steps across resumes, whether the trainer's counter goes on or starts at 0 again. */
class StepCounterTest {

    @Property
    void aRestartingCounterAddsItsStepsToTheResumedStep(@ForAll @LongRange(min = 0, max = 1_000_000) long resumed,
            @ForAll @LongRange(min = 1, max = 1_000_000) long restoredCounter,
            @ForAll @IntRange(min = 1, max = 1000) int every, @ForAll @IntRange(min = 1, max = 20) int saves) {
        // sd-scripts after --resume: its counter restarts at 0; states every `every` steps. With "restarts" (and with
        // "auto" whenever the first new counter is not above the restored one) the run's steps go on from `resumed`.
        StepCounter declared = new StepCounter(resumed, restoredCounter, "restarts");
        StepCounter auto = new StepCounter(resumed, restoredCounter, "auto");
        boolean autoCanTell = every <= restoredCounter;
        for (int i = 1; i <= saves; i++) {
            long counter = (long) i * every;
            assertEquals(resumed + counter, declared.cumulative(counter));
            if (autoCanTell) {
                assertEquals(resumed + counter, auto.cumulative(counter));
            }
        }
    }

    @Property
    void aContinuingCounterCountsFromTheRestoredCounter(@ForAll @LongRange(min = 0, max = 1_000_000) long resumed,
            @ForAll @LongRange(min = 0, max = 1_000_000) long restoredCounter,
            @ForAll @IntRange(min = 1, max = 1000) int every, @ForAll @IntRange(min = 1, max = 20) int saves,
            @ForAll boolean declaredNotAuto) {
        StepCounter counter = new StepCounter(resumed, restoredCounter, declaredNotAuto ? "continues" : "auto");
        long previous = resumed;
        for (int i = 1; i <= saves; i++) {
            long own = restoredCounter + (long) i * every;
            long cumulative = counter.cumulative(own);
            assertEquals(resumed + (long) i * every, cumulative);
            assertEquals(true, cumulative > previous, "steps only grow");
            previous = cumulative;
        }
    }

    @Property
    void aFreshAttemptsStepIsTheTrainersCounter(@ForAll @LongRange(min = 0, max = 1_000_000_000) long own,
            @ForAll("counters") String mode) {
        assertEquals(own, new StepCounter(0, null, mode).cumulative(own));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> counters() {
        return net.jqwik.api.Arbitraries.of("auto", "continues", "restarts");
    }

    @Test
    void autoDecidesOnceAtTheFirstState() {
        // Resumed at run step 50 from a state whose counter was 50: the first new state says 50 again (a reset).
        StepCounter counter = new StepCounter(50, 50L, "auto");
        assertEquals(100, counter.cumulative(50));
        assertEquals(false, counter.continues());
        assertEquals(110, counter.cumulative(60), "the decision holds for later states");
    }
}
