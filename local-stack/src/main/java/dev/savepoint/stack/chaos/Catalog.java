package dev.savepoint.stack.chaos;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The rows the invariants read from the two services' schemas in PostgreSQL, for the chaos run's runs only. */
final class Catalog {

    /** A checkpoint row of checkpoint-service. */
    record Checkpoint(String id, String runId, long step, int attempt, String state, String prefix, Instant createdAt,
            Instant committedAt) {
    }

    /** An attempt row of scheduler-service. */
    record Attempt(String runId, int attempt, String state, Instant startedAt) {
    }

    private final String url;
    private final String user;
    private final String password;
    private final String checkpointSchema;
    private final String schedulerSchema;

    Catalog(String url, String user, String password, String checkpointSchema, String schedulerSchema) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.checkpointSchema = checkpointSchema;
        this.schedulerSchema = schedulerSchema;
    }

    List<Checkpoint> checkpoints(List<String> runIds) {
        return query("select id, run_id, step, attempt, state, prefix, created_at, committed_at from "
                + checkpointSchema + ".checkpoints where run_id = any(?) order by run_id, step, attempt", runIds,
                r -> new Checkpoint(r.getString(1), r.getString(2), r.getLong(3), r.getInt(4), r.getString(5),
                        r.getString(6), instant(r.getTimestamp(7)), instant(r.getTimestamp(8))));
    }

    List<Attempt> attempts(List<String> runIds) {
        return query("select run_id, attempt, state, started_at from " + schedulerSchema + ".attempts where run_id = "
                + "any(?) order by run_id, attempt", runIds, r -> new Attempt(r.getString(1), r.getInt(2),
                r.getString(3), instant(r.getTimestamp(4))));
    }

    /** How many times the scheduler moved each run to LAUNCHING: one launch per attempt, never two. */
    List<String[]> launches(List<String> runIds) {
        return query("select run_id, count(*) from " + schedulerSchema + ".run_transitions where to_state = "
                + "'LAUNCHING' and run_id = any(?) group by run_id", runIds,
                r -> new String[] {r.getString(1), Long.toString(r.getLong(2))});
    }

    private interface Row<T> {
        T read(ResultSet r) throws SQLException;
    }

    private <T> List<T> query(String sql, List<String> runIds, Row<T> row) {
        try (Connection c = DriverManager.getConnection(url, user, password);
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setArray(1, c.createArrayOf("text", runIds.toArray()));
            List<T> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(row.read(r));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the catalog at " + url + ": " + e.getMessage(), e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
