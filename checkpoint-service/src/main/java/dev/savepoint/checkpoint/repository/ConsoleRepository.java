package dev.savepoint.checkpoint.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The console's reads, in few round trips: a keyset page of runs with what each row shows (checkpoints kept and
 * their bytes, the last failure), every checkpoint of a run without its file list (the chart), and forks.
 */
@ApplicationScoped
public class ConsoleRepository {

    private final EntityManager em;

    public ConsoleRepository(EntityManager em) {
        this.em = em;
    }

    /** Where a page of runs starts: after this run in the order newest first (created_at desc, run_id desc). */
    public record Cursor(Instant createdAt, String runId) {
    }

    /** The filter of the runs list: a part of the name or run id (case ignored), and a state; null for any. */
    public record RunFilter(String text, String state) {
    }

    /** One row of the runs list. */
    public record RunRow(String runId, String name, String state, int currentAttempt, Long currentStep,
            Long maxSteps, Instant createdAt, Instant updatedAt, long kept, long keptBytes, String lastCause,
            String lastMessage) {
    }

    /** One checkpoint without its files: what the chart and retention need. */
    public record CheckpointRow(String id, long step, int attempt, String state, boolean pinned, Double loss,
            long totalBytes, Instant createdAt, Instant committedAt, Double metric) {
    }

    /** A run forked from a checkpoint: the child run, the parent run and the checkpoint's id and step. */
    public record Fork(String childRunId, String parentRunId, String checkpointId, long step) {
    }

    private static final String RUNS_PAGE = """
            select r.run_id, r.name, r.state, r.current_attempt, r.current_step, r.max_steps, r.created_at,
                   r.updated_at, k.kept, k.kept_bytes, f.cause, f.message
            from runs r
            left join lateral (select count(*) kept, coalesce(sum(c.total_bytes), 0) kept_bytes
                               from checkpoints c where c.run_id = r.run_id and c.state = 'COMMITTED') k on true
            left join lateral (select a.cause, a.message from attempts a
                               where a.run_id = r.run_id and a.cause is not null
                               order by a.attempt desc limit 1) f on true
            where true""";

    /**
     * Up to {@code limit} runs after the cursor (null: from the newest), newest first. Served by the indexes
     * runs_newest and runs_state_newest (keyset: no offset, so page 200 costs what page 1 does); each row's
     * counts come from checkpoints_newest_committed and the attempts' primary key.
     */
    public List<RunRow> runs(RunFilter filter, Cursor after, int limit) {
        List<Object> params = new ArrayList<>();
        String sql = page(RUNS_PAGE, filter, after, limit, params);
        List<RunRow> rows = new ArrayList<>();
        for (Object o : bind(em.createNativeQuery(sql), params).getResultList()) {
            Object[] r = (Object[]) o;
            rows.add(new RunRow((String) r[0], (String) r[1], (String) r[2], ((Number) r[3]).intValue(),
                    longOrNull(r[4]), longOrNull(r[5]), instant(r[6]), instant(r[7]), ((Number) r[8]).longValue(),
                    ((Number) r[9]).longValue(), (String) r[10], (String) r[11]));
        }
        return rows;
    }

    /** How many runs match the filter. */
    public long countRuns(RunFilter filter) {
        StringBuilder sql = new StringBuilder("select count(*) from runs r where true");
        List<Object> params = new ArrayList<>();
        where(sql, params, filter);
        return ((Number) bind(em.createNativeQuery(sql.toString()), params).getSingleResult()).longValue();
    }

    /** A stamp that changes whenever a run of the list changes: the newest update and the number of runs. */
    public String runsStamp() {
        Object[] r = (Object[]) em.createNativeQuery("select max(updated_at), count(*) from runs").getSingleResult();
        return r[0] + "/" + r[1];
    }

    /** The query plan of a page of runs ({@code runs}' very query under EXPLAIN), for the tests of its indexes. */
    public String plan(RunFilter filter, Cursor after, int limit) {
        List<Object> params = new ArrayList<>();
        String sql = page("explain " + RUNS_PAGE, filter, after, limit, params);
        StringBuilder plan = new StringBuilder();
        for (Object line : bind(em.createNativeQuery(sql), params).getResultList()) {
            plan.append(line).append('\n');
        }
        return plan.toString();
    }

    private static String page(String select, RunFilter filter, Cursor after, int limit, List<Object> params) {
        StringBuilder sql = new StringBuilder(select);
        where(sql, params, filter);
        if (after != null) {
            params.add(OffsetDateTime.ofInstant(after.createdAt(), ZoneOffset.UTC));
            params.add(after.runId());
            sql.append(" and (r.created_at, r.run_id) < (?").append(params.size() - 1).append(", ?")
                    .append(params.size()).append(')');
        }
        return sql.append(" order by r.created_at desc, r.run_id desc limit ").append(limit).toString();
    }

    private static void where(StringBuilder sql, List<Object> params, RunFilter filter) {
        if (filter.state() != null) {
            params.add(filter.state());
            sql.append(" and r.state = ?").append(params.size());
        }
        if (filter.text() != null) {
            String like = "%" + filter.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            params.add(like);
            sql.append(" and (r.name ilike ?").append(params.size()).append(" or r.run_id ilike ?")
                    .append(params.size()).append(')');
        }
    }

    /**
     * Every checkpoint of a run by step, without files (a run may have tens of thousands), with its loss and the
     * value of the metric retention ranks by.
     */
    public List<CheckpointRow> checkpoints(String runId, String metric) {
        List<?> rows = em.createNativeQuery("""
                select id, step, attempt, state, pinned, (metrics ->> 'loss')::float8, total_bytes, created_at,
                       committed_at, (metrics ->> ?2)::float8
                from checkpoints where run_id = ?1 order by step, attempt, created_at""")
                .setParameter(1, runId).setParameter(2, metric).getResultList();
        List<CheckpointRow> out = new ArrayList<>(rows.size());
        for (Object o : rows) {
            Object[] r = (Object[]) o;
            out.add(new CheckpointRow((String) r[0], ((Number) r[1]).longValue(), ((Number) r[2]).intValue(),
                    (String) r[3], (Boolean) r[4], r[5] == null ? null : ((Number) r[5]).doubleValue(),
                    ((Number) r[6]).longValue(), instant(r[7]), instant(r[8]),
                    r[9] == null ? null : ((Number) r[9]).doubleValue()));
        }
        return out;
    }

    /** The run's checkpoints that a restore holds now (one query, however many checkpoints the run has). */
    public java.util.Set<String> leased(String runId) {
        List<?> ids = em.createNativeQuery("select distinct l.checkpoint_id from leases l join checkpoints c "
                + "on c.id = l.checkpoint_id where c.run_id = ?1 and l.expires_at > now()").setParameter(1, runId)
                .getResultList();
        java.util.Set<String> out = new java.util.HashSet<>();
        ids.forEach(id -> out.add((String) id));
        return out;
    }

    /** The step of a checkpoint of any run, by id. */
    public Optional<Long> stepOf(String checkpointId) {
        return em.createNativeQuery("select step from checkpoints where id = ?1").setParameter(1, checkpointId)
                .getResultStream().findFirst().map(v -> ((Number) v).longValue());
    }

    /** The run this one was forked from: its first attempt resumed from another run's checkpoint. */
    public Optional<Fork> parent(String runId) {
        return forks("a.run_id = ?1 and a.attempt = 1 and c.run_id <> ?1", runId).stream().findFirst();
    }

    /** Runs forked from this run's checkpoints. */
    public List<Fork> children(String runId) {
        return forks("c.run_id = ?1 and a.attempt = 1 and a.run_id <> ?1", runId);
    }

    private List<Fork> forks(String where, String runId) {
        List<?> rows = em.createNativeQuery("select a.run_id, c.run_id, c.id, c.step from attempts a "
                + "join checkpoints c on c.id = a.resumed_from_checkpoint_id where " + where
                + " order by a.run_id limit 100").setParameter(1, runId).getResultList();
        List<Fork> out = new ArrayList<>();
        for (Object o : rows) {
            Object[] r = (Object[]) o;
            out.add(new Fork((String) r[0], (String) r[1], (String) r[2], ((Number) r[3]).longValue()));
        }
        return out;
    }

    private static Query bind(Query q, List<Object> params) {
        for (int i = 0; i < params.size(); i++) {
            q.setParameter(i + 1, params.get(i));
        }
        return q;
    }

    private static Long longOrNull(Object v) {
        return v == null ? null : ((Number) v).longValue();
    }

    private static Instant instant(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Instant i) {
            return i;
        }
        if (v instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (v instanceof Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("not a timestamp: " + v.getClass());
    }
}
