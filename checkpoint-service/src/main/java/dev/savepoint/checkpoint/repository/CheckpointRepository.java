package dev.savepoint.checkpoint.repository;

import dev.savepoint.checkpoint.Checkpoint;
import dev.savepoint.checkpoint.retention.CheckpointState;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Checkpoints of the catalog. */
@ApplicationScoped
public class CheckpointRepository implements PanacheRepositoryBase<Checkpoint, String> {

    private static final Sort NEWEST_FIRST = Sort.descending("step", "attempt", "createdAt");

    /** The rows with these ids, by id (a mutable map: a batch adds the rows it creates). */
    public Map<String, Checkpoint> byIds(Collection<String> ids) {
        Map<String, Checkpoint> rows = new HashMap<>();
        list("id in ?1", Set.copyOf(ids)).forEach(c -> rows.put(c.id, c));
        return rows;
    }

    /** The newest COMMITTED checkpoint of a run: highest step, then attempt, then creation time. */
    public Optional<Checkpoint> newestCommitted(String runId) {
        return find("runId = ?1 and state = ?2", NEWEST_FIRST, runId, CheckpointState.COMMITTED).firstResultOptional();
    }

    /**
     * The id of the run's newest COMMITTED checkpoint (same order as {@link #newestCommitted}) other than the ones
     * passed over, read fresh from the database: ids, not entities, so a row already loaded cannot answer stale.
     */
    public Optional<String> newestCommittedId(String runId, Set<String> passedOver) {
        String others = passedOver.isEmpty() ? "" : " and c.id not in ?3";
        var query = getEntityManager().createQuery("select c.id from Checkpoint c where c.runId = ?1 and c.state = ?2"
                + others + " order by c.step desc, c.attempt desc, c.createdAt desc", String.class)
                .setParameter(1, runId).setParameter(2, CheckpointState.COMMITTED).setMaxResults(1);
        if (!passedOver.isEmpty()) {
            query.setParameter(3, passedOver);
        }
        return query.getResultStream().findFirst();
    }

    /** A run's checkpoints by step, optionally of one state. */
    public List<Checkpoint> ofRun(String runId, CheckpointState state, int page, int size) {
        Sort byStep = Sort.ascending("step", "attempt", "createdAt");
        var query = state == null ? find("runId", byStep, runId) : find("runId = ?1 and state = ?2", byStep, runId, state);
        return query.page(Page.of(page, size)).list();
    }

    public long countOfRun(String runId, CheckpointState state) {
        return state == null ? count("runId", runId) : count("runId = ?1 and state = ?2", runId, state);
    }

    public List<Checkpoint> ofRunInStates(String runId, Collection<CheckpointState> states) {
        return list("runId = ?1 and state in ?2", runId, states);
    }

    /** Runs that have checkpoints in one of these states and whose id starts with the prefix. */
    public List<String> runsWithStates(Collection<CheckpointState> states, String runIdPrefix) {
        return getEntityManager().createQuery("select distinct c.runId from Checkpoint c "
                + "where c.state in ?1 and c.runId like ?2", String.class)
                .setParameter(1, states).setParameter(2, runIdPrefix.replace("%", "\\%") + "%").getResultList();
    }

    /** Prefixes (folders) of checkpoints in one of these states among the given prefixes. */
    public Set<String> prefixesInStates(Collection<String> prefixes, Collection<CheckpointState> states) {
        if (prefixes.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(getEntityManager().createQuery("select c.prefix from Checkpoint c "
                + "where c.prefix in ?1 and c.state in ?2", String.class)
                .setParameter(1, prefixes).setParameter(2, states).getResultList());
    }

    /** Locks the row: the lock retention's claims, leases, pins and corrupt marks take. */
    public Checkpoint lock(String id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * Locks the row like {@link #lock} and re-reads it: locking a row this transaction had loaded before does not
     * re-read it, and a state read before the lock may be stale (another transaction may have claimed it meanwhile).
     * This transaction's own pending changes are flushed first, so the re-read keeps them.
     */
    public Checkpoint lockFresh(String id) {
        getEntityManager().flush();
        Checkpoint row = lock(id);
        if (row != null) {
            getEntityManager().refresh(row);
        }
        return row;
    }

    /** The run a checkpoint belongs to, without loading the row; empty when there is no such checkpoint. */
    public Optional<String> runIdOf(String id) {
        return getEntityManager().createQuery("select c.runId from Checkpoint c where c.id = ?1", String.class)
                .setParameter(1, id).getResultStream().findFirst();
    }
}
