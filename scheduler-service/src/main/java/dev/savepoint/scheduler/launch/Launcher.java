package dev.savepoint.scheduler.launch;

import dev.savepoint.contracts.events.LaunchAttempt;

/** Starts and stops attempts somewhere: trainer-service workers over Kafka, or Kubernetes Jobs. */
public interface Launcher {

    /** Starts the attempt; idempotent: the same (run, attempt) launched twice runs once. */
    void launch(LaunchAttempt command);

    /** Stops a running attempt (SIGTERM first, so it writes a final checkpoint). */
    void cancel(String runId, int attempt, String reason);

    /**
     * Asks whoever runs the attempt whether it is still alive; never called inside a transaction (it may call out).
     *
     * @param supervisorUrl the URL of the process that supervises the attempt, from its AttemptStarted; null when
     *                      unknown (the launcher then asks wherever the attempt may run)
     */
    Liveness probe(String runId, int attempt, String supervisorUrl);

    /**
     * Deaths the attempts could not report themselves (none for launchers that report them), each returned once:
     * asked when {@link #onFailures} signals, and on every tick as the safety net.
     */
    default java.util.List<dev.savepoint.contracts.events.AttemptFailed> unreportedFailures() {
        return java.util.List.of();
    }

    /**
     * Registers the signal this launcher gives when {@link #unreportedFailures()} may have something new (a watch
     * event, a refused launch), so a failure is acted on at once rather than on the next tick. The signal is called on
     * the launcher's own threads and must return at once; launchers that never find failures never call it.
     */
    default void onFailures(Runnable signal) {
    }
}
