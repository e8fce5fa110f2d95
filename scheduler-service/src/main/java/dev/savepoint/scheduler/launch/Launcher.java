package dev.savepoint.scheduler.launch;

import dev.savepoint.contracts.events.LaunchAttempt;

/** Starts and stops attempts somewhere: trainer-service workers over Kafka, or Kubernetes Jobs. */
public interface Launcher {

    /** Starts the attempt; idempotent: the same (run, attempt) launched twice runs once. */
    void launch(LaunchAttempt command);

    /** Stops a running attempt (SIGTERM first, so it writes a final checkpoint). */
    void cancel(String runId, int attempt, String reason);
}
