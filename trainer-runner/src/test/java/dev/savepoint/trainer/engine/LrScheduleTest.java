package dev.savepoint.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.spec.ScheduleSpec;
import org.junit.jupiter.api.Test;

/** Learning-rate schedules as pure functions of the step. */
class LrScheduleTest {

    @Test
    void constantIsTheBaseRate() {
        LrSchedule schedule = new LrSchedule(ScheduleSpec.constant(), 0.1, 100);
        assertEquals(0.1, schedule.at(0));
        assertEquals(0.1, schedule.at(99));
    }

    @Test
    void warmupRisesLinearlyToTheBaseRate() {
        LrSchedule schedule = new LrSchedule(new ScheduleSpec("cosine", 10, 0.0, null, null), 1.0, 110);
        assertEquals(0.1, schedule.at(0), 1e-12);
        assertEquals(0.5, schedule.at(4), 1e-12);
        assertEquals(1.0, schedule.at(9), 1e-12);
        assertEquals(1.0, schedule.at(10), 1e-12);
    }

    @Test
    void cosineEndsAtMinLr() {
        LrSchedule schedule = new LrSchedule(new ScheduleSpec("cosine", 10, 0.01, null, null), 1.0, 110);
        assertEquals(0.505, schedule.at(60), 1e-12);
        assertEquals(0.01, schedule.at(110), 1e-12);
        assertEquals(0.01, schedule.at(500), 1e-12);
        assertTrue(schedule.at(109) > 0.01 && schedule.at(109) < 0.011);
    }

    @Test
    void stepDecayMultipliesByGammaEveryStepSize() {
        LrSchedule schedule = new LrSchedule(new ScheduleSpec("step", null, null, 100, 0.5), 0.8, 1000);
        assertEquals(0.8, schedule.at(99), 1e-12);
        assertEquals(0.4, schedule.at(100), 1e-12);
        assertEquals(0.2, schedule.at(250), 1e-12);
    }

    @Test
    void unknownTypeIsNamed() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new LrSchedule(new ScheduleSpec("linear", null, null, null, null), 0.1, 10));
        assertTrue(error.getMessage().contains("'linear'"), error.getMessage());
    }
}
