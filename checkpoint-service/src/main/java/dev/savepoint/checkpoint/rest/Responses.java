package dev.savepoint.checkpoint.rest;

import dev.savepoint.checkpoint.Attempt;
import dev.savepoint.checkpoint.Checkpoint;
import dev.savepoint.checkpoint.Lease;
import dev.savepoint.checkpoint.Run;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.contracts.determinism.DeterminismFingerprint;
import dev.savepoint.contracts.spec.RetentionSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Response bodies of the API. */
public final class Responses {

    private Responses() {
    }

    public record PageBody<T>(List<T> items, int page, int size, long total) {
    }

    public record RunBody(String runId, String name, String state, int currentAttempt, Long currentStep,
            String finalParamsSha256, RetentionSpec retention, Instant createdAt, Instant updatedAt) {
        static RunBody of(Run r) {
            return new RunBody(r.runId, r.name, r.state.name(), r.currentAttempt, r.currentStep, r.finalParamsSha256,
                    r.retentionOrDefault(), r.createdAt, r.updatedAt);
        }
    }

    public record AttemptBody(int attempt, String state, Instant startedAt, Instant endedAt, String cause, String message,
            Integer exitCode, Long lastStep, String resumedFromCheckpointId, String host, Integer checkpointsSkipped,
            Long newestDurableStep, Long newestDurableAgeMillis, DeterminismFingerprint fingerprint,
            Boolean resumeExact, List<String> resumeDifferences) {
        static AttemptBody of(Attempt a) {
            return new AttemptBody(a.attempt, a.state.name(), a.startedAt, a.endedAt, a.cause, a.message, a.exitCode,
                    a.lastStep, a.resumedFromCheckpointId, a.host, a.checkpointsSkipped, a.newestDurableStep,
                    a.newestDurableAgeMillis, a.fingerprint, a.resumeExact,
                    a.resumeDifferences == null ? List.of() : a.resumeDifferences);
        }
    }

    /** Retention status: the rule that keeps a committed checkpoint, why it is about to go, or when it went. */
    public record RetentionBody(String keptBy, String deleteReason, Instant deletedAt) {
    }

    /**
     * One checkpoint. {@code replacedBy} (the later attempt's checkpoint at the same step) and {@code resumePoint}
     * (whether lease-newest would return it) are filled in by the run's history, {@code latest} and lease-newest;
     * single-checkpoint answers leave them null.
     */
    public record CheckpointBody(String id, String runId, long step, Integer epoch, int attempt, String bucket, String prefix,
            String state, List<ManifestFile> files, Map<String, Double> metrics, long totalBytes, boolean pinned,
            String rejectReason, String message, Instant createdAt, Instant committedAt, Instant deletedAt,
            RetentionBody retention, String replacedBy, Boolean resumePoint) {
        static CheckpointBody of(Checkpoint c, RetentionBody retention, String replacedBy, Boolean resumePoint) {
            return new CheckpointBody(c.id, c.runId, c.step, c.epoch, c.attempt, c.bucket, c.prefix, c.state.name(),
                    c.files, c.metrics, c.totalBytes, c.pinned, c.rejectReason, c.message, c.createdAt,
                    c.committedAt, c.deletedAt, retention, replacedBy, resumePoint);
        }

        static CheckpointBody of(Checkpoint c) {
            return of(c, null, null, null);
        }

        /** The checkpoint a resume uses: the newest committed one, never replaced. */
        static CheckpointBody resumePoint(Checkpoint c) {
            return of(c, null, null, true);
        }
    }

    public record LeaseBody(UUID leaseId, String checkpointId, String holder, Instant expiresAt) {
        static LeaseBody of(Lease l) {
            return new LeaseBody(l.id, l.checkpointId, l.holder, l.expiresAt);
        }
    }

    /** Lease-newest's answer: the resume point (as {@code latest} shows it) and the lease taken on it. */
    public record LeasedCheckpointBody(CheckpointBody checkpoint, LeaseBody lease) {
    }
}
