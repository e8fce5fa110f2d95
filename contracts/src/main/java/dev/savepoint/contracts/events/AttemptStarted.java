package dev.savepoint.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.savepoint.contracts.determinism.DeterminismFingerprint;
import dev.savepoint.contracts.spec.RunSpec;
import java.time.Instant;
import java.util.List;

/**
 * An attempt process is up and about to train; it carries the whole spec, where it resumed from, its determinism
 * fingerprint and, for a resume, whether the resume is bit-exact ({@code resumeExact}; null for a fresh start) and
 * which fingerprint fields differ from the checkpoint's, and the URL of the launcher that supervises it.
 */
public record AttemptStarted(
        String id,
        String type,
        @JsonProperty(required = true) String runId,
        @JsonProperty(required = true) int attempt,
        Instant occurredAt,
        int schemaVersion,
        @JsonProperty(required = true) RunSpec spec,
        String resumedFromCheckpointId,
        Long resumedFromStep,
        String host,
        Long pid,
        DeterminismFingerprint fingerprint,
        Boolean resumeExact,
        List<String> resumeDifferences,
        String supervisorUrl) implements SavepointEvent {

    public static final String TYPE = "AttemptStarted";

    public AttemptStarted {
        id = Envelope.id(id);
        type = Envelope.type(type, TYPE);
        Envelope.runId(runId);
        attempt = Envelope.attempt(attempt);
        occurredAt = Envelope.occurredAt(occurredAt);
        schemaVersion = Envelope.schemaVersion(schemaVersion);
        Envelope.require(spec, "spec");
        resumeDifferences = resumeDifferences == null ? List.of() : List.copyOf(resumeDifferences);
    }

    public static AttemptStarted of(String runId, int attempt, RunSpec spec, String resumedFromCheckpointId,
            Long resumedFromStep, String host, Long pid) {
        return new AttemptStarted(null, TYPE, runId, attempt, null, 0, spec, resumedFromCheckpointId,
                resumedFromStep, host, pid, null, null, null, null);
    }

    /** With the attempt's determinism fingerprint and, for a resume, whether it is bit-exact and what differs. */
    public AttemptStarted withDeterminism(DeterminismFingerprint current, Boolean exact, List<String> differences) {
        return new AttemptStarted(id, type, runId, attempt, occurredAt, schemaVersion, spec, resumedFromCheckpointId,
                resumedFromStep, host, pid, current, exact, differences, supervisorUrl);
    }

    /**
     * With the base URL of the launcher process that supervises this attempt (trainer-service), which the scheduler
     * asks whether the attempt is alive before it declares a silent death; null when nothing supervises it there.
     */
    public AttemptStarted withSupervisor(String url) {
        return new AttemptStarted(id, type, runId, attempt, occurredAt, schemaVersion, spec, resumedFromCheckpointId,
                resumedFromStep, host, pid, fingerprint, resumeExact, resumeDifferences, url);
    }
}
