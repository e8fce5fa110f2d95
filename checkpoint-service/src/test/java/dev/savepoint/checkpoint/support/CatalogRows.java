package dev.savepoint.checkpoint.support;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Writes catalog rows straight into PostgreSQL for page-level console tests that need a run's history but no
 * training (thousands of checkpoints, runs in any state). Real events are TestCheckpoints' job.
 */
public final class CatalogRows {

    private final AgroalDataSource db;

    public CatalogRows(AgroalDataSource db) {
        this.db = db;
    }

    public void run(String runId, String name, String state, int attempt, Long step, Long maxSteps, Instant created) {
        update("insert into runs (run_id, name, state, current_attempt, current_step, max_steps, created_at, updated_at)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?)", runId, name, state, attempt, step, maxSteps,
                Timestamp.from(created), Timestamp.from(created));
    }

    public void attempt(String runId, int attempt, String state, Instant started, Instant ended, String cause,
            Integer exitCode, Long lastStep, String resumedFrom) {
        update("insert into attempts (run_id, attempt, state, started_at, ended_at, cause, exit_code, last_step, "
                + "resumed_from_checkpoint_id, resume_exact) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", runId, attempt,
                state, ts(started), ts(ended), cause, exitCode, lastStep, resumedFrom, resumedFrom == null ? null : true);
    }

    public void checkpoint(String id, String runId, long step, int attempt, String state, double loss, boolean pinned) {
        update("insert into checkpoints (id, run_id, step, attempt, bucket, prefix, state, metrics, files, total_bytes,"
                + " pinned, created_at, committed_at) values (?, ?, ?, ?, 'savepoint', ?, ?, ?::jsonb, "
                + "'[{\"name\":\"model.safetensors\",\"size\":1024,\"sha256\":\"" + "0".repeat(64) + "\"}]'::jsonb, 1024, ?, now(), now())",
                id, runId, step, attempt, "runs/" + runId + "/checkpoints/" + step + "-" + attempt + "/", state,
                "{\"loss\":" + loss + "}", pinned);
    }

    /** Runs any statement (bulk inserts with generate_series, ANALYZE). */
    public void sql(String sql, Object... args) {
        update(sql, args);
    }

    private void update(String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static Timestamp ts(Instant t) {
        return t == null ? null : Timestamp.from(t);
    }
}
