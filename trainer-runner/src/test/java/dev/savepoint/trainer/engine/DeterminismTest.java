package dev.savepoint.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.spec.RunSpec;
import org.junit.jupiter.api.Test;

/**
 * Same spec, same bits across sessions. Thread counts are compared as separate attempt processes, the way the product
 * runs them (runner's ThreadCountDeterminismTest).
 */
class DeterminismTest {

    @Test
    void sameSeedGivesSameFinalHash() {
        RunSpec spec = TestSpecs.mlpAdamW(1);
        assertEquals(train(spec, 200), train(spec, 200));
    }

    @Test
    void differentSeedGivesDifferentHash() {
        RunSpec spec = TestSpecs.mlpAdamW(1);
        RunSpec other = new RunSpec(spec.name(), 43L, spec.maxSteps(), spec.batchSize(), spec.model(), spec.data(),
                spec.optimizer(), spec.schedule(), null, null, null, spec.runtime());
        assertNotEquals(train(spec, 20), train(other, 20));
    }

    @Test
    void trainingLowersTheLoss() {
        RunSpec spec = TestSpecs.mlpAdamW(1);
        try (TrainingSession session = new TrainingSession(spec, TestSpecs.dataFor(spec))) {
            float first = session.step();
            float last = first;
            for (int i = 1; i < 300; i++) {
                last = session.step();
            }
            assertTrue(last < first * 0.7, "loss went from " + first + " to " + last);
        }
    }

    @Test
    void stepsDoNotLeakEngineArrays() {
        for (RunSpec spec : new RunSpec[] {TestSpecs.mlpAdamW(1), TestSpecs.cnnSgd(1), TestSpecs.tinyTransformer(1)}) {
            try (TrainingSession session = new TrainingSession(spec, TestSpecs.dataFor(spec))) {
                session.step();
                int afterFirstStep = session.liveEngineArrays();
                for (int i = 0; i < 20; i++) {
                    session.step();
                }
                assertEquals(afterFirstStep, session.liveEngineArrays(), spec.model().type());
            }
        }
    }

    static String train(RunSpec spec, int steps) {
        try (TrainingSession session = new TrainingSession(spec, TestSpecs.dataFor(spec))) {
            for (int i = 0; i < steps; i++) {
                session.step();
            }
            return session.finalParamsSha256();
        }
    }
}
