package dev.savepoint.checkpoint.repository;

import dev.savepoint.checkpoint.Run;
import dev.savepoint.contracts.Json;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

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

    /**
     * The batch form of {@link #lockOrCreate}: the runs, created where missing, locked in run id order (so that two
     * batches naming the same runs never wait for each other in a cycle), by run id.
     */
    public Map<String, Run> lockOrCreateAll(Collection<String> runIds) {
        List<String> sorted = new TreeSet<>(runIds).stream().toList();
        getEntityManager().createNativeQuery(
                "insert into runs (run_id, state, current_attempt, created_at, updated_at) select r, 'UNKNOWN', 0, "
                        + "now(), now() from jsonb_array_elements_text(cast(?1 as jsonb)) r on conflict (run_id) do nothing")
                .setParameter(1, Json.writeString(sorted))
                .setFlushMode(FlushModeType.COMMIT).executeUpdate();
        return getEntityManager().createQuery("from Run r where r.runId in ?1 order by r.runId", Run.class)
                .setParameter(1, sorted).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultStream()
                .collect(Collectors.toMap(r -> r.runId, r -> r));
    }

    /**
     * Locks an existing run's row: retention's claims and corrupt marks take it first, so that "is this the newest
     * committed checkpoint" is answered and acted on one run change at a time.
     */
    public Run lock(String runId) {
        return findById(runId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The newest attempt of each of these runs that exists, by run id. */
    public Map<String, Integer> currentAttempts(Collection<String> runIds) {
        return getEntityManager().createQuery("select r.runId, r.currentAttempt from Run r where r.runId in ?1",
                Object[].class).setParameter(1, Set.copyOf(runIds)).getResultStream()
                .collect(Collectors.toMap(row -> (String) row[0], row -> (Integer) row[1]));
    }

    public List<Run> page(int page, int size) {
        return findAll(Sort.descending("createdAt").and("runId")).page(Page.of(page, size)).list();
    }
}
