package dev.savepoint.checkpoint.bench;

import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.stack.KafkaTestClient;
import dev.savepoint.stack.SavepointStackResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (run with {@code mvn -pl checkpoint-service test -Dgroups=benchmark
 * -Dbenchmarks.excluded=none -Dtest=CatalogBenchmark}): newest-checkpoint lookup latency with 1,000,000 rows over
 * 10,000 runs, against an HTTP endpoint that does no database work and against the bare SQL; and the ingest rate of
 * CheckpointWritten events with verification off, against the rate the producer alone reaches.
 */
@Tag("benchmark")
@QuarkusTest
@TestProfile(CatalogBenchmark.VerificationOff.class)
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class CatalogBenchmark {

    /** Commits without S3 checks, so that the benchmark measures the catalog. */
    public static class VerificationOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("savepoint.verify.enabled", "false");
        }
    }

    static final int RUNS = 10_000;
    static final int ROWS = 1_000_000;
    static final int EVENTS = 20_000;

    @Inject
    AgroalDataSource db;
    @TestHTTPResource("/")
    URL base;

    @Test
    void newestCheckpointLookupAndIngestRate() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            cleanUp(s);
            long t0 = System.nanoTime();
            s.execute("insert into checkpoints.runs (run_id, name, state, current_attempt, created_at, updated_at) "
                    + "select 'bench-' || g, 'bench', 'RUNNING', 1, now(), now() from generate_series(0, " + (RUNS - 1)
                    + ") g");
            s.execute("insert into checkpoints.checkpoints (id, run_id, step, attempt, bucket, prefix, state, "
                    + "total_bytes, created_at, committed_at) select 'bench-ck-' || g, 'bench-' || (g % " + RUNS
                    + "), (g / " + RUNS + ") * 100, 1, 'savepoint', 'runs/bench-' || (g % " + RUNS + ") || '/', "
                    + "'COMMITTED', 1000, now(), now() from generate_series(0, " + (ROWS - 1) + ") g");
            s.execute("analyze checkpoints.checkpoints");
            System.out.printf("loaded %,d checkpoint rows over %,d runs in %.1f s%n", ROWS, RUNS,
                    (System.nanoTime() - t0) / 1e9);
            try {
                lookupLatency(c);
                ingestRate(s);
            } finally {
                cleanUp(s);
            }
        }
    }

    private void lookupLatency(Connection c) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        int n = 3000;
        double[] api = new double[n];
        double[] baseline = new double[n];
        double[] sql = new double[n];
        try (PreparedStatement q = c.prepareStatement("select id from checkpoints.checkpoints where run_id = ? and "
                + "state = 'COMMITTED' order by step desc, attempt desc, created_at desc limit 1")) {
            for (int i = -300; i < n; i++) { // the first 300 warm up
                String run = "bench-" + ThreadLocalRandom.current().nextInt(RUNS);
                double a = time(() -> get(http, "api/runs/" + run + "/checkpoints/latest", 200));
                double b = time(() -> get(http, "q/health/live", 200));
                q.setString(1, run);
                double d = time(() -> {
                    try (ResultSet rs = q.executeQuery()) {
                        rs.next();
                    }
                });
                if (i >= 0) {
                    api[i] = a;
                    baseline[i] = b;
                    sql[i] = d;
                }
            }
        }
        System.out.printf("GET latest: p50 %.2f ms, p99 %.2f ms (target p99 <= 5 ms)%n", pct(api, 50), pct(api, 99));
        System.out.printf("  baseline GET /q/health/live: p50 %.2f ms, p99 %.2f ms; bare SQL: p50 %.3f ms, p99 %.3f ms%n",
                pct(baseline, 50), pct(baseline, 99), pct(sql, 50), pct(sql, 99));
        System.out.printf("  latest vs no-database endpoint: %.2fx at p50, %.2fx at p99%n", pct(api, 50)
                / pct(baseline, 50), pct(api, 99) / pct(baseline, 99));
    }

    private void ingestRate(Statement s) throws Exception {
        List<CheckpointWritten> events = new java.util.ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            String run = "bench-" + (i % RUNS);
            long step = 1_000_000L + (i / RUNS) * 100L;
            events.add(CheckpointWritten.of(run, 1, "bench-in-" + i, step, 0, 0L, "savepoint",
                    CheckpointManifest.prefix(run, step, 1), List.of(new ManifestFile("model.safetensors", 10,
                            "0".repeat(64))), Map.of("loss", 0.5)));
        }
        long t0 = System.nanoTime();
        KafkaTestClient.sendAll(Topics.CHECKPOINTS, events);
        double produced = (System.nanoTime() - t0) / 1e9;
        long committed = 0;
        while (committed < EVENTS && System.nanoTime() - t0 < 600e9) {
            Thread.sleep(200);
            try (ResultSet rs = s.executeQuery("select count(*) from checkpoints.checkpoints where id like "
                    + "'bench-in-%' and state = 'COMMITTED'")) {
                rs.next();
                committed = rs.getLong(1);
            }
        }
        double total = (System.nanoTime() - t0) / 1e9;
        System.out.printf("ingest: %,d CheckpointWritten committed in %.1f s = %.0f events/s (target >= 2,000/s); "
                + "the producer alone: %.0f events/s (%.2fx)%n", committed, total, committed / total,
                EVENTS / produced, (committed / total) / (EVENTS / produced));
    }

    private static void cleanUp(Statement s) throws Exception {
        s.execute("delete from checkpoints.leases where checkpoint_id like 'bench-%'");
        s.execute("delete from checkpoints.checkpoints where run_id like 'bench-%'");
        s.execute("delete from checkpoints.attempts where run_id like 'bench-%'");
        s.execute("delete from checkpoints.runs where run_id like 'bench-%'");
    }

    private void get(HttpClient http, String path, int expected) throws Exception {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(path + " answered " + r.statusCode());
        }
    }

    interface Action {
        void run() throws Exception;
    }

    private static double time(Action action) throws Exception {
        long t0 = System.nanoTime();
        action.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double pct(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
