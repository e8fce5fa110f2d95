package dev.savepoint.scheduler.rest;

import dev.savepoint.scheduler.domain.RunEntity;
import java.time.Instant;

/**
 * A run as the API shows it; {@code bitExact} is false once a resume could not be bit-exact (the note says why);
 * {@code lastCheckpointStep} is the step of its newest committed checkpoint.
 */
public record RunView(String runId, String name, String state, int currentAttempt, int restarts, Long step,
        String lastFailureReason, String lastFailureMessage, Instant lastFailureAt, Instant nextLaunchAt,
        String finalParamsSha256, boolean bitExact, String determinismNote, Instant createdAt, Instant updatedAt,
        Long lastCheckpointStep) {

    static RunView of(RunEntity r) {
        return new RunView(r.runId, r.name, r.state.name(), r.currentAttempt, r.restarts, r.currentStep,
                r.lastFailureReason == null ? null : r.lastFailureReason.name(), r.lastFailureMessage,
                r.lastFailureAt, r.nextLaunchAt, r.finalParamsSha256, r.bitExact, r.determinismNote, r.createdAt,
                r.updatedAt, r.newestCommittedStep);
    }
}
