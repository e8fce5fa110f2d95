package dev.savepoint.scheduler.run;

import java.time.Duration;

/** What the restart policy decided for a failed attempt: launch the next one after a delay, or give up. */
public sealed interface RestartDecision {

    /** Human-readable reason, recorded in the run's history. */
    String reason();

    /** Launch {@code attempt} once {@code delay} has passed. */
    record Retry(int attempt, Duration delay, String reason) implements RestartDecision {
    }

    /** Launch nothing more; the run needs a user to resume it. */
    record GiveUp(String reason) implements RestartDecision {
    }
}
