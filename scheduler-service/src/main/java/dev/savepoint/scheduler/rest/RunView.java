package dev.savepoint.scheduler.rest;

import dev.savepoint.scheduler.domain.RunEntity;
import dev.savepoint.scheduler.run.Goodput;
import java.time.Instant;

/**
 * A run as the API shows it; {@code bitExact} is false once a resume could not be bit-exact (the note says why);
 * {@code goodput} is useful training time / wall time (0..1) and {@code accounting} its breakdown, per attempt too
 * (docs/architecture.md, "Goodput"); {@code newestCommittedStep} the step of its newest committed checkpoint;
 * {@code parentRunId} and {@code parentCheckpointId} name what a fork started from.
 */
public record RunView(String runId, String name, String state, int currentAttempt, int restarts, Long step,
        Long newestCommittedStep,
        String lastFailureReason, String lastFailureMessage, Instant lastFailureAt, Instant nextLaunchAt,
        String finalParamsSha256, boolean bitExact, String determinismNote, String parentRunId,
        String parentCheckpointId, double goodput, Goodput.RunAccount accounting, Instant createdAt,
        Instant updatedAt) {

    static RunView of(RunEntity r, Goodput.RunAccount account) {
        return new RunView(r.runId, r.name, r.state.name(), r.currentAttempt, r.restarts, r.currentStep,
                r.newestCommittedStep,
                r.lastFailureReason == null ? null : r.lastFailureReason.name(), r.lastFailureMessage,
                r.lastFailureAt, r.nextLaunchAt, r.finalParamsSha256, r.bitExact, r.determinismNote, r.parentRunId,
                r.parentCheckpointId, account.goodput(), account, r.createdAt, r.updatedAt);
    }
}
