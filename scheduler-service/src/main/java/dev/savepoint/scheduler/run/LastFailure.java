package dev.savepoint.scheduler.run;

import dev.savepoint.contracts.events.FailureReason;
import java.time.Instant;

/** The most recent failure of a run: which attempt, why, and when. */
public record LastFailure(int attempt, FailureReason reason, String message, Instant at) {

    public LastFailure {
        message = message == null ? "" : message;
    }
}
