package dev.savepoint.scheduler.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.events.FailureReason;
import dev.savepoint.contracts.spec.RestartSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class RestartPolicyTest {

    private static final RestartPolicy DEFAULTS = RestartPolicy.of(RestartSpec.defaults());
    private static final FailureHistory FRESH = FailureHistory.none();

    @ParameterizedTest
    @EnumSource(value = FailureReason.class,
            names = {"INVALID_SPEC", "DATA_ERROR", "CANCELLED", "NOT_REPRODUCIBLE", "DEADLINE"})
    void permanentFailureIsNotRetriedAndTheReasonIsNamed(FailureReason reason) {
        RestartDecision decision = DEFAULTS.decide(1, FRESH, reason);

        RestartDecision.GiveUp giveUp = assertInstanceOf(RestartDecision.GiveUp.class, decision);
        assertTrue(giveUp.reason().contains(reason.name()), giveUp.reason());
    }

    @ParameterizedTest
    @EnumSource(value = FailureReason.class,
            names = {"CRASHED", "KILLED", "OOM_KILLED", "HEARTBEAT_LOST", "CHECKPOINT_CORRUPT", "LAUNCH_FAILED",
                    "UNKNOWN"})
    void transientFailureIsRetriedAsTheNextAttemptAfterTheInitialBackoff(FailureReason reason) {
        RestartDecision decision = DEFAULTS.decide(1, FRESH, reason);

        RestartDecision.Retry retry = assertInstanceOf(RestartDecision.Retry.class, decision);
        assertEquals(2, retry.attempt());
        assertEquals(Duration.ofMillis(500), retry.delay());
    }

    @ParameterizedTest(name = "failure {0} in a row waits {1} ms")
    @CsvSource({"1, 500", "2, 1000", "3, 2000", "4, 4000", "5, 8000", "7, 32000", "8, 60000", "40, 60000",
        "5000, 60000"})
    void backoffGrowsExponentiallyAndIsCapped(int consecutiveFailures, long expectedMs) {
        assertEquals(Duration.ofMillis(expectedMs), DEFAULTS.backoff(consecutiveFailures));
    }

    @Test
    void restartLimitGivesUpOnceMaxRestartsAreUsed() {
        FailureHistory fiveUsed = new FailureHistory(5, 0, 0, 900, 100);

        RestartDecision decision = DEFAULTS.decide(6, fiveUsed, FailureReason.CRASHED);

        assertEquals(new RestartDecision.GiveUp("restart limit 5 reached"), decision);
    }

    @Test
    void lastRestartBelowTheLimitIsStillGranted() {
        FailureHistory fourUsed = new FailureHistory(4, 0, 0, 900, 100);

        assertInstanceOf(RestartDecision.Retry.class, DEFAULTS.decide(5, fourUsed, FailureReason.CRASHED));
    }

    @Test
    void crashLoopGivesUpAtItsLimitWithTheReason() {
        FailureHistory twoWithoutProgress = new FailureHistory(2, 0, 2, 300, 300);

        RestartDecision decision = DEFAULTS.decide(3, twoWithoutProgress, FailureReason.CRASHED);

        assertEquals(new RestartDecision.GiveUp("crash loop: 3 failures without a new checkpoint"), decision);
    }

    @Test
    void progressSinceTheLastFailureResetsTheCrashLoopAndTheBackoff() {
        FailureHistory twoThenProgress = new FailureHistory(2, 0, 2, 400, 300);

        RestartDecision.Retry retry = assertInstanceOf(RestartDecision.Retry.class,
                DEFAULTS.decide(3, twoThenProgress, FailureReason.CRASHED));

        assertEquals(Duration.ofMillis(500), retry.delay());
    }

    @Test
    void preemptionRelaunchesWithoutBackoffEvenPastTheRestartAndCrashLoopLimits() {
        FailureHistory exhausted = new FailureHistory(5, 0, 2, 300, 300);

        RestartDecision.Retry retry = assertInstanceOf(RestartDecision.Retry.class,
                DEFAULTS.decide(7, exhausted, FailureReason.PREEMPTED));

        assertEquals(8, retry.attempt());
        assertEquals(Duration.ZERO, retry.delay());
    }

    @Test
    void preemptionsAreBoundedByTheirOwnBudget() {
        RestartPolicy twoPreemptions = new RestartPolicy(RestartSpec.defaults(), 2);
        FailureHistory twoPreempted = new FailureHistory(0, 2, 0, 300, -1);

        RestartDecision decision = twoPreemptions.decide(3, twoPreempted, FailureReason.PREEMPTED);

        assertEquals(new RestartDecision.GiveUp("preemption limit 2 reached"), decision);
    }

    @Test
    void zeroMaxRestartsGivesUpOnTheFirstFailure() {
        RestartPolicy noRestarts = RestartPolicy.of(new RestartSpec(0, null, null, null, null));

        assertEquals(new RestartDecision.GiveUp("restart limit 0 reached"),
                noRestarts.decide(1, FRESH, FailureReason.KILLED));
    }
}
