package dev.savepoint.contracts.cluster;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * owner text, rounds bigint not null default 0)}, and beside it the history {@code cluster_job_rounds (job text,
 * started_at timestamptz, owner text, finished_at timestamptz, interval_ms bigint, stale_after_ms bigint, primary key
 * (job, started_at))}: one row per round, inserted by the claim's own statement, finished with it, and pruned after
 * {@link #HISTORY}, so that {@link #roundsRunTwice} can show that no round ran twice.
 */
public final class ClusterJobs {

    static final int DUE_FRACTION_PERCENT = 80;
    /** How long the history of rounds is kept. */
    public static final Duration HISTORY = Duration.ofDays(1);
    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?");

    private final DataSource dataSource;
    private final String table;
    private final String history;
    private final String owner;

    /** {@code table} is the table's name, schema-qualified where the connection's search path does not find it. */
    public ClusterJobs(DataSource dataSource, String table, String owner) {
        if (!TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("not a table name: " + table);
        }
        this.dataSource = Objects.requireNonNull(dataSource);
        this.table = table;
        this.history = historyTable(table);
        this.owner = Objects.requireNonNull(owner);
    }

    /** The history table beside {@code table}: {@code cluster_job_rounds} in the same schema. */
    static String historyTable(String table) {
        int dot = table.indexOf('.');
        return (dot < 0 ? "" : table.substring(0, dot + 1)) + "cluster_job_rounds";
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
            // The claim and its history row in one statement: a round is in the history exactly when it was claimed.
            try (PreparedStatement update = c.prepareStatement("with claimed as (update " + table
                    + " set started_at = clock_timestamp(), finished_at = null, owner = ?, rounds = rounds + 1"
                    + " where name = ? and (started_at is null"
                    + " or (finished_at is not null and started_at <= clock_timestamp() - make_interval(secs => ?))"
                    + " or (finished_at is null and started_at <= clock_timestamp() - make_interval(secs => ?)))"
                    + " returning name, started_at, owner)"
                    + " insert into " + history + " (job, started_at, owner, interval_ms, stale_after_ms)"
                    + " select name, started_at, owner, ?, ? from claimed returning started_at")) {
                update.setString(1, owner);
                update.setString(2, job);
                update.setDouble(3, due);
                update.setDouble(4, stale);
                update.setLong(5, interval.toMillis());
                update.setLong(6, staleAfter.toMillis());
                try (ResultSet rs = update.executeQuery()) {
                    Timestamp started = rs.next() ? rs.getTimestamp(1) : null;
                    if (started != null) {
                        prune(c, job);
                    }
                    return started;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot claim a round of the cluster job " + job + ": " + e.getMessage(),
                    e);
        }
    }

    private void prune(Connection c, String job) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("delete from " + history
                + " where job = ? and started_at < clock_timestamp() - make_interval(secs => ?)")) {
            delete.setString(1, job);
            delete.setDouble(2, HISTORY.toSeconds());
            delete.executeUpdate();
        }
    }

    private void finish(String job, Timestamp started) {
        // The history row is finished even when another replica has taken the job over meanwhile (this round ran
        // past staleAfter): the history then shows the two overlapping, as they did.
        try (Connection c = dataSource.getConnection();
                PreparedStatement update = c.prepareStatement("with round as (update " + history
                        + " set finished_at = clock_timestamp() where job = ? and owner = ? and started_at = ?"
                        + " returning finished_at) update " + table + " set finished_at = (select finished_at from"
                        + " round) where name = ? and owner = ? and started_at = ?")) {
            c.setAutoCommit(true);
            update.setString(1, job);
            update.setString(2, owner);
            update.setTimestamp(3, started);
            update.setString(4, job);
            update.setString(5, owner);
            update.setTimestamp(6, started);
            update.executeUpdate();
        } catch (SQLException e) {
            // Unfinished in the table: the round is run again after staleAfter, which periodic work tolerates.
            throw new IllegalStateException("cannot mark the round of the cluster job " + job + " finished: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The rounds in the history that ran twice: ones that began while the round before them still ran (finished
     * later, or unfinished and not yet {@code staleAfter} old), or sooner after the start of a finished round than
     * the due fraction of its interval. Empty when every job ran once per interval and never two rounds at once.
     */
    public static List<String> roundsRunTwice(Connection c, String historyTable) throws SQLException {
        if (!TABLE.matcher(historyTable).matches()) {
            throw new IllegalArgumentException("not a table name: " + historyTable);
        }
        List<String> twice = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select job, started_at, owner, prev_owner from ("
                + "select job, started_at, owner, lag(owner) over w prev_owner, lag(started_at) over w prev_start,"
                + " lag(finished_at) over w prev_finish, lag(interval_ms) over w prev_interval,"
                + " lag(stale_after_ms) over w prev_stale from " + historyTable
                + " window w as (partition by job order by started_at)) r where prev_start is not null and ("
                + " (prev_finish is not null and started_at < prev_finish)"
                + " or (prev_finish is null and started_at < prev_start + prev_stale * interval '1 millisecond')"
                + " or (prev_finish is not null and started_at < prev_start + prev_interval * " + DUE_FRACTION_PERCENT
                + " / 100.0 * interval '1 millisecond')) order by job, started_at");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                twice.add(rs.getString(1) + " at " + rs.getTimestamp(2).toInstant() + " by " + rs.getString(3)
                        + " (the round before by " + rs.getString(4) + ")");
            }
        }
        return twice;
    }
}
