package dev.savepoint.contracts.cluster;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Periodic work done once per cluster, however many replicas of a service run it on their own clocks: a round of a job
 * is claimed by one atomic update of its row in the service's {@code cluster_jobs} table, on the database's clock, so
 * of all the replicas whose timers fire only the first one runs it.
 * <ul>
 * <li>Once per interval: a round is due when the last one started at least {@value #DUE_FRACTION_PERCENT}% of the
 * interval ago (the slack lets the replica that ran the last round run the next one on its own timer) and finished.
 * <li>Never two at once: an unfinished round blocks every other claim.
 * <li>Never lost: a round unfinished after {@code staleAfter} is presumed dead with its replica (SIGKILL, a lost
 * node), and the next replica whose timer fires runs it again.
 * </ul>
 * Each service's migrations create the table in its schema:
 * {@code create table cluster_jobs (name text primary key, started_at timestamptz, finished_at timestamptz,
 * owner text, rounds bigint not null default 0)}.
 */
public final class ClusterJobs {

    static final int DUE_FRACTION_PERCENT = 80;
    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?");

    private final DataSource dataSource;
    private final String table;
    private final String owner;

    /** {@code table} is the table's name, schema-qualified where the connection's search path does not find it. */
    public ClusterJobs(DataSource dataSource, String table, String owner) {
        if (!TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("not a table name: " + table);
        }
        this.dataSource = Objects.requireNonNull(dataSource);
        this.table = table;
        this.owner = Objects.requireNonNull(owner);
    }

    /** This process's name in the table: host, pid and a random part (a restarted replica is another owner). */
    public static String processOwner() {
        return ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Runs a round of {@code job} here if it is due and no replica runs it; returns whether it ran here. The round is
     * marked finished whether the work returns or throws (then the exception is rethrown), so a failed round is
     * retried at the next due time, not after {@code staleAfter}.
     */
    public boolean runIfDue(String job, Duration interval, Duration staleAfter, Runnable work) {
        Timestamp started = claim(job, interval, staleAfter);
        if (started == null) {
            return false;
        }
        try {
            work.run();
        } finally {
            finish(job, started);
        }
        return true;
    }

    private Timestamp claim(String job, Duration interval, Duration staleAfter) {
        double due = interval.toMillis() / 1000.0 * DUE_FRACTION_PERCENT / 100;
        double stale = staleAfter.toMillis() / 1000.0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement insert = c.prepareStatement(
                    "insert into " + table + " (name) values (?) on conflict (name) do nothing")) {
                insert.setString(1, job);
                insert.executeUpdate();
            }
            try (PreparedStatement update = c.prepareStatement("update " + table
                    + " set started_at = clock_timestamp(), finished_at = null, owner = ?, rounds = rounds + 1"
                    + " where name = ? and (started_at is null"
                    + " or (finished_at is not null and started_at <= clock_timestamp() - make_interval(secs => ?))"
                    + " or (finished_at is null and started_at <= clock_timestamp() - make_interval(secs => ?)))"
                    + " returning started_at")) {
                update.setString(1, owner);
                update.setString(2, job);
                update.setDouble(3, due);
                update.setDouble(4, stale);
                try (ResultSet rs = update.executeQuery()) {
                    return rs.next() ? rs.getTimestamp(1) : null;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot claim a round of the cluster job " + job + ": " + e.getMessage(),
                    e);
        }
    }

    private void finish(String job, Timestamp started) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement update = c.prepareStatement("update " + table
                        + " set finished_at = clock_timestamp() where name = ? and owner = ? and started_at = ?")) {
            c.setAutoCommit(true);
            update.setString(1, job);
            update.setString(2, owner);
            update.setTimestamp(3, started);
            update.executeUpdate();
        } catch (SQLException e) {
            // Unfinished in the table: the round is run again after staleAfter, which periodic work tolerates.
            throw new IllegalStateException("cannot mark the round of the cluster job " + job + " finished: "
                    + e.getMessage(), e);
        }
    }
}
