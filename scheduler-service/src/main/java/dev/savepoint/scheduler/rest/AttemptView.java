package dev.savepoint.scheduler.rest;

import dev.savepoint.scheduler.domain.AttemptEntity;
import java.time.Instant;

/** An attempt as the API shows it: when it ran, what it resumed from, how it ended. */
public record AttemptView(int attempt, String state, Instant launchedAt, Instant startedAt, Instant endedAt,
        String resumedFromCheckpointId, Long resumedFromStep, Long lastStep, Instant lastHeartbeatAt, String cause,
        String message, Integer exitCode) {

    static AttemptView of(AttemptEntity a) {
        return new AttemptView(a.attempt(), a.state.name(), a.launchedAt, a.startedAt, a.endedAt,
                a.resumeCheckpointId, a.resumeStep, a.lastStep, a.lastHeartbeatAt,
                a.cause == null ? null : a.cause.name(), a.message, a.exitCode);
    }
}
