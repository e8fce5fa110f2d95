package dev.savepoint.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Bulk-loads a catalog of {@code rows} checkpoints over {@code runs} runs with generate_series, the secondary indexes
 * dropped during the load and rebuilt from their own definitions (the migrations') after it. Every seventh
 * checkpoint of a run is DELETED, the rest COMMITTED, each with one file and a loss.
 */
record CatalogRows(int rows, int runs) {

    private static final int CHUNK = 1_000_000;

    String run(int i) {
        return "cat-" + i;
    }

    /** Loads the rows; the seconds it took. */
    double load(Connection db, BenchContext context) throws Exception {
        long t0 = System.nanoTime();
        try (Statement s = db.createStatement()) {
            List<String> indexes = secondaryIndexes(s);
            for (String definition : indexes) {
                s.execute("drop index " + definition.replaceFirst("(?i)^create (unique )?index (\\S+) .*$", "$2"));
            }
            s.execute("insert into runs (run_id, name, state, current_attempt, created_at, updated_at) select 'cat-' || g, "
                    + "'catalog bench', 'RUNNING', 1, now(), now() from generate_series(0, " + (runs - 1) + ") g");
            for (int from = 0; from < rows; from += CHUNK) {
                int to = Math.min(rows, from + CHUNK) - 1;
                s.execute(insert(from, to));
                context.log("loaded %,d of %,d checkpoint rows (%.0f s)", to + 1, rows, (System.nanoTime() - t0) / 1e9);
            }
            for (String definition : indexes) {
                s.execute(definition);
            }
            s.execute("vacuum analyze checkpoints");
            s.execute("vacuum analyze runs");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        context.log("%,d rows and their indexes in %.0f s", rows, seconds);
        return seconds;
    }

    private String insert(int from, int to) {
        String step = "((g / " + runs + ") * 100)";
        String run = "('cat-' || (g % " + runs + "))";
        return "insert into checkpoints (id, run_id, step, epoch, attempt, bucket, prefix, state, metrics, files, "
                + "total_bytes, created_at, committed_at) select " + run + " || '-' || " + step + ", " + run + ", "
                + step + ", 0, 1, 'savepoint', 'runs/' || " + run + " || '/checkpoints/' || " + step + " || '-1/', "
                + "case when (g / " + runs + ") % 7 = 3 then 'DELETED' else 'COMMITTED' end, "
                + "jsonb_build_object('loss', 1.0 / (1 + g / " + runs + ")), "
                + "'[{\"name\":\"model.safetensors\",\"size\":1048576,\"sha256\":\"" + "ab".repeat(32) + "\"}]'::jsonb, "
                + "1048576, now(), now() from generate_series(" + from + ", " + to + ") g";
    }

    private static List<String> secondaryIndexes(Statement s) throws Exception {
        List<String> definitions = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("select indexdef from pg_indexes where schemaname = current_schema() "
                + "and tablename = 'checkpoints' and indexname <> 'checkpoints_pkey'")) {
            while (rs.next()) {
                definitions.add(rs.getString(1));
            }
        }
        return definitions;
    }

    /** EXPLAIN ANALYZE of the lookup for one run, as text. */
    String plan(Connection db, String sql) throws Exception {
        StringBuilder plan = new StringBuilder();
        try (var q = db.prepareStatement("explain (analyze, buffers, costs off) " + sql)) {
            q.setString(1, run(runs / 2));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    plan.append(plan.length() == 0 ? "" : "\n").append(rs.getString(1));
                }
            }
        }
        return plan.toString();
    }
}
