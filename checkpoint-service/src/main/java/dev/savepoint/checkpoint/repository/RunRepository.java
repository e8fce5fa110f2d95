package dev.savepoint.checkpoint.repository;

import dev.savepoint.checkpoint.Run;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.LockModeType;
import java.util.List;

/** Runs of the read model. */
@ApplicationScoped
public class RunRepository implements PanacheRepositoryBase<Run, String> {

    /**
     * The run, created when this is the first event that names it, and locked for the rest of the transaction so
     * that the checkpoint and run consumers advance its fencing token one after the other.
     */
    public Run lockOrCreate(String runId) {
        getEntityManager().createNativeQuery(
                "insert into runs (run_id, state, current_attempt, created_at, updated_at) "
                        + "values (?1, 'UNKNOWN', 0, now(), now()) on conflict (run_id) do nothing")
                .setParameter(1, runId)
                .setFlushMode(FlushModeType.COMMIT).executeUpdate(); // no flush of the whole batch per event
        return findById(runId, LockModeType.PESSIMISTIC_WRITE);
    }

    public List<Run> page(int page, int size) {
        return findAll(Sort.descending("createdAt").and("runId")).page(Page.of(page, size)).list();
    }
}
