package dev.savepoint.scheduler.rest;

import dev.savepoint.scheduler.domain.AttemptEntity;
import java.time.Instant;
import java.util.List;

/**
 * An attempt as the API shows it: when it ran, what it resumed from and whether that resume could be bit-exact
 * (with the fingerprint fields that differed), who supervises it, since when it has been alive but silent, how it
 * ended and when that end was confirmed; for goodput, the step up to which it re-trains what an earlier attempt had
 * already trained ({@code recomputeUntilStep}) and when it got there ({@code caughtUpAt}).
 */
public record AttemptView(int attempt, String state, Instant launchedAt, Instant startedAt, Instant endedAt,
        String resumedFromCheckpointId, Long resumedFromStep, Long lastStep, Instant lastHeartbeatAt, String cause,
        String message, Integer exitCode, Boolean resumeExact, List<String> resumeDifferences, String supervisorUrl,
        Instant silentAliveSince, Instant endConfirmedAt, Long recomputeUntilStep, Instant caughtUpAt) {

    static AttemptView of(AttemptEntity a) {
        return new AttemptView(a.attempt(), a.state.name(), a.launchedAt, a.startedAt, a.endedAt,
                a.resumeCheckpointId, a.resumeStep, a.lastStep, a.lastHeartbeatAt,
                a.cause == null ? null : a.cause.name(), a.message, a.exitCode, a.resumeExact,
                a.resumeDifferences == null ? List.of() : a.resumeDifferences, a.supervisorUrl, a.silentAliveSince,
                a.endConfirmedAt, a.recomputeUntilStep, a.caughtUpAt);
    }
}
