package dev.savepoint.scheduler.repository;

import dev.savepoint.scheduler.domain.AttemptEntity;
import dev.savepoint.scheduler.domain.AttemptState;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Attempts of runs, by (run, attempt). */
@ApplicationScoped
public class AttemptRepository implements PanacheRepositoryBase<AttemptEntity, AttemptEntity.Key> {

    public Optional<AttemptEntity> find(String runId, int attempt) {
        return findByIdOptional(new AttemptEntity.Key(runId, attempt));
    }

    public List<AttemptEntity> ofRun(String runId) {
        return list("id.runId = ?1 order by id.attempt", runId);
    }

    /** The attempts of several runs, in run and attempt order. */
    public List<AttemptEntity> ofRuns(List<String> runIds) {
        return list("id.runId in ?1 order by id.runId, id.attempt", runIds);
    }

    public List<AttemptEntity> live() {
        return list("state in ?1", List.of(AttemptState.LAUNCHING, AttemptState.RUNNING));
    }

    public List<AttemptEntity> unsent() {
        return list("state = ?1 and commandSentAt is null", AttemptState.LAUNCHING);
    }

    /** Attempts whose corrupt checkpoint is not yet marked in checkpoint-service. */
    public List<AttemptEntity> corruptMarksDue() {
        return list("corruptCheckpointId is not null and corruptReportedAt is null");
    }

    /** Attempts a user cancelled whose cancel command is not yet sent. */
    public List<AttemptEntity> cancelsDue() {
        return list("cancelRequestedAt is not null and cancelSentAt is null");
    }
}
