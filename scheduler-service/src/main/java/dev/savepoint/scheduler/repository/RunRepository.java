package dev.savepoint.scheduler.repository;

import dev.savepoint.scheduler.domain.RunEntity;
import dev.savepoint.scheduler.run.RunState;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Runs; every change takes the row lock so that events, ticks and requests of one run apply one at a time. */
@ApplicationScoped
public class RunRepository implements PanacheRepositoryBase<RunEntity, String> {

    public Optional<RunEntity> lock(String runId) {
        return findByIdOptional(runId, LockModeType.PESSIMISTIC_WRITE);
    }

    public List<String> dueForLaunch(Instant now) {
        return find("state = ?1 and nextLaunchAt <= ?2", RunState.BACKOFF, now).stream().map(r -> r.runId).toList();
    }

    /** Runs not ended, and runs changed since {@code since}, newest first, at most {@code max}. */
    public List<RunEntity> liveOrChangedSince(Instant since, int max) {
        return find("state not in ?1 or updatedAt >= ?2",
                io.quarkus.panache.common.Sort.descending("createdAt"),
                List.of(RunState.SUCCEEDED, RunState.GAVE_UP, RunState.CANCELLED), since).page(0, max).list();
    }

    public List<RunEntity> page(int page, int size) {
        return findAll(io.quarkus.panache.common.Sort.descending("createdAt")).page(page, size).list();
    }
}
