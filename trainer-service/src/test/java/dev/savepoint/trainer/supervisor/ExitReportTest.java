package dev.savepoint.trainer.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExitReportTest {

    @Test
    void signalDeathsAreAlwaysReportedBecauseTheAttemptCannot() {
        assertEquals(ExitReport.ALWAYS, ExitReport.of(137));
        assertEquals(ExitReport.ALWAYS, ExitReport.of(143));
        assertEquals(ExitReport.ALWAYS, ExitReport.of(139));
    }

    @Test
    void endsTheAttemptReportsItselfAreNotReportedAgain() {
        for (int code : new int[] {0, 3, 4, 5, 6}) {
            assertEquals(ExitReport.NONE, ExitReport.of(code), "exit " + code);
        }
    }

    @Test
    void crashesAndUsageErrorsAreReportedUnlessTheAttemptDid() {
        assertEquals(ExitReport.UNLESS_ATTEMPT_REPORTED, ExitReport.of(1));
        assertEquals(ExitReport.UNLESS_ATTEMPT_REPORTED, ExitReport.of(2));
        assertEquals(ExitReport.UNLESS_ATTEMPT_REPORTED, ExitReport.of(42));
    }
}
