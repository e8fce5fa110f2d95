package dev.savepoint.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code catalog-latest}: p99 of {@code GET /api/runs/{runId}/checkpoints/latest} (a viewer's token, a random run
 * each time) over 10M checkpoint rows (1M in quick mode), interleaved with the HTTP baseline beside it: the same
 * service's no-database endpoint {@code /q/health/live} over the same client, and the bare SQL of the lookup.
 */
final class CatalogLatestFigure implements Figure {

    static final double TARGET_MS = 2.0;
    static final String NEWEST_SQL = "select id from checkpoints where run_id = ? and state = 'COMMITTED' "
            + "order by step desc, attempt desc, created_at desc limit 1";

    @Override
    public String name() {
        return "catalog-latest";
    }

    @Override
    public Result measure(BenchContext context) throws Exception {
        BenchService service = context.checkpointService();
        CatalogRows rows = new CatalogRows(context.quick() ? 1_000_000 : 10_000_000, 10_000);
        int samples = context.quick() ? 3_000 : 6_000;
        try (Connection db = service.connect()) {
            double loadSeconds = rows.load(db, context);
            String plan = rows.plan(db, NEWEST_SQL);
            Timings t = time(service, db, rows, samples);
            double latest99 = Numbers.percentile(t.latest, 99);
            double health99 = Numbers.percentile(t.health, 99);
            double sql99 = Numbers.percentile(t.sql, 99);
            Map<String, Double> plot = new LinkedHashMap<>();
            plot.put("GET latest p99", latest99);
            plot.put("GET latest p50", Numbers.percentile(t.latest, 50));
            plot.put("GET /q/health/live p99", health99);
            plot.put("GET /q/health/live p50", Numbers.percentile(t.health, 50));
            plot.put("bare SQL p99", sql99);
            plot.put("bare SQL p50", Numbers.percentile(t.sql, 50));
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("checkpoint rows", rows.rows());
            details.put("runs", rows.runs());
            details.put("seconds to load the rows and build the indexes", loadSeconds);
            details.put("requests per series (after 500 of warm-up)", samples);
            details.put("GET latest p99.9 (ms)", Numbers.percentile(t.latest, 99.9));
            details.put("plan of the bare SQL", plan);
            return Result.of(name(), latest99, health99, "ms", TARGET_MS, false, String.format(
                    "p99 of GET latest (the resume point of a random run) over %,d checkpoint rows, beside the same "
                            + "service's no-database endpoint (HTTP baseline) and the bare SQL, interleaved request "
                            + "by request from one client.", rows.rows()), plot, details)
                    .limitedBy(String.format("over the same client and connection, the HTTP round trip alone (the "
                            + "health endpoint) has p99 %.2f ms and the bare SQL p99 %.2f ms: %s (load average %s). At p50 GET latest takes %.2f ms "
                            + "against %.2f ms for the round trip and %.3f ms for the SQL (its plan: one index scan)",
                            health99, sql99, health99 > TARGET_MS
                                    ? "the round trip alone misses the target, so the machine's scheduling delays, "
                                            + "not the lookup, set the tail"
                                    : "the service's own work (token check, transaction, ORM query, JSON) adds the rest",
                            Cpu.loadAverage(), Numbers.percentile(t.latest, 50),
                            Numbers.percentile(t.health, 50), Numbers.percentile(t.sql, 50)));
        }
    }

    private record Timings(double[] latest, double[] health, double[] sql) {
    }

    private static Timings time(BenchService service, Connection db, CatalogRows rows, int samples) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(service.url() + "/q/health/live")).build();
        String token = "Bearer " + service.adminToken();
        SplittableRandom random = new SplittableRandom(14);
        Timings t = new Timings(new double[samples], new double[samples], new double[samples]);
        try (PreparedStatement q = db.prepareStatement(NEWEST_SQL)) {
            for (int i = -500; i < samples; i++) {
                String run = rows.run(random.nextInt(rows.runs()));
                HttpRequest latest = HttpRequest.newBuilder(URI.create(service.url() + "/api/runs/" + run
                        + "/checkpoints/latest")).header("Authorization", token).build();
                long t0 = System.nanoTime();
                expect(http.send(latest, HttpResponse.BodyHandlers.ofByteArray()), 200);
                double a = Numbers.millisSince(t0);
                t0 = System.nanoTime();
                expect(http.send(health, HttpResponse.BodyHandlers.ofByteArray()), 200);
                double b = Numbers.millisSince(t0);
                q.setString(1, run);
                t0 = System.nanoTime();
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("run " + run + " has no committed checkpoint");
                    }
                }
                double c = Numbers.millisSince(t0);
                if (i >= 0) {
                    t.latest[i] = a;
                    t.health[i] = b;
                    t.sql[i] = c;
                }
            }
        }
        return t;
    }

    private static void expect(HttpResponse<byte[]> r, int status) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(r.request().uri() + " answered " + r.statusCode() + ": "
                    + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
