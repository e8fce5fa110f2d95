package dev.savepoint.trainer.rest;

import dev.savepoint.trainer.supervisor.Attempt;
import dev.savepoint.trainer.supervisor.AttemptState;
import java.time.Instant;

/**
 * An attempt as the API shows it; {@code alive} whether it is queued or its child process is alive now, {@code step}
 * the latest heartbeat's, {@code message} how it ended.
 */
public record AttemptView(String runId, int attempt, AttemptState state, boolean alive, Long pid, Integer exitCode,
        Instant queuedAt, Instant startedAt, Instant endedAt, Long step, String message, String logFile) {

    static AttemptView of(Attempt.Snapshot s) {
        return new AttemptView(s.runId(), s.attempt(), s.state(), s.alive(), s.pid(), s.exitCode(), s.queuedAt(),
                s.startedAt(), s.endedAt(), s.step(), s.message(), s.logFile().toString());
    }
}
