package dev.savepoint.checkpoint.bench;

import static io.restassured.RestAssured.given;

import dev.savepoint.checkpoint.console.ConsoleService;
import dev.savepoint.checkpoint.support.CatalogRows;
import dev.savepoint.checkpoint.support.ChartMarks;
import dev.savepoint.stack.SavepointStackResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (run with {@code mvn -pl checkpoint-service test -Dgroups=benchmark
 * -Dbenchmarks.excluded=none -Dtest=ConsoleRunPageBenchmark}): the server time of the run page for a run with
 * 10,000 checkpoints (all committed with a loss, retention decides over all of them; the chart
 * draws the notable ones as marks and the routine ones as one path per kind),
 * measured as the time to the last byte over localhost, after warm-up. Prints the numbers; asserts only the page.
 */
@Tag("benchmark")
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class ConsoleRunPageBenchmark {

    static final int CHECKPOINTS = 10_000;

    @Inject
    AgroalDataSource db;
    @Inject
    ConsoleService console;
    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL base;

    @Test
    void runPageWithTenThousandCheckpoints() {
        // not cps-: the test profile's retention collects only those, and must not delete these rows meanwhile
        String run = "bench-console-" + UUID.randomUUID().toString().substring(0, 8);
        CatalogRows rows = new CatalogRows(db);
        rows.run(run, "bench", "RUNNING", 3, (long) CHECKPOINTS * 10, (long) CHECKPOINTS * 10, Instant.now());
        rows.sql("insert into checkpoints (id, run_id, step, attempt, bucket, prefix, state, metrics, files, "
                + "total_bytes, pinned, created_at, committed_at) select ? || '-' || g, ?, g * 10, 1 + (g * 3 / ?), "
                + "'savepoint', 'runs/' || ? || '/' || g || '/', 'COMMITTED', jsonb_build_object('loss', 2.0 / g), "
                + "'[{\"name\":\"model.safetensors\",\"size\":1024,\"sha256\":\"" + "0".repeat(64) + "\"}]'::jsonb, "
                + "1024, false, now(), now() from generate_series(1, ?) g", run, run, CHECKPOINTS + 1, run,
                CHECKPOINTS);
        rows.attempt(run, 1, "FAILED", Instant.now(), Instant.now(), "KILLED", 137, 34_000L, null);
        rows.attempt(run, 2, "FAILED", Instant.now(), Instant.now(), "KILLED", 137, 67_000L, run + "-3300");
        rows.attempt(run, 3, "RUNNING", Instant.now(), null, null, null, 100_000L, run + "-6600");
        rows.sql("analyze checkpoints");

        int bytes = 0;
        String html = "";
        for (int i = 0; i < 5; i++) {
            html = given().get("/console/runs/{runId}", run).then().statusCode(200).extract().asString();
            bytes = html.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            given().get("/api/runs/{runId}", run).then().statusCode(200);
        }
        org.junit.jupiter.api.Assertions.assertEquals(CHECKPOINTS, ChartMarks.checkpoints(html),
                "the chart stands for every checkpoint");
        // the JDK's client: RestAssured's own handling of a 2 MiB body would be part of the number
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "console/runs/" + run))
                .header("Authorization", "Bearer " + dev.savepoint.stack.TestStack.token(
                        dev.savepoint.security.Role.OPERATOR)).build();
        long page = median(() -> {
            try {
                var r = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    throw new AssertionError("run page answered " + r.statusCode());
                }
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        long model = median(() -> console.run(run, 0, null, true));
        long baseline = median(() -> given().get("/api/runs/{runId}", run).then().statusCode(200).extract()
                .asByteArray());
        System.out.printf("BENCHMARK run page, %d checkpoints (%d KiB of HTML, %d notable marks): median %.1f ms (of "
                + "which building the page's model, queries and chart, %.1f ms); one-row API call on the same machine "
                + "%.1f ms, ratio %.1f; load average %.1f on %d cores (target 200 ms)%n", CHECKPOINTS, bytes / 1024,
                ChartMarks.notable(html), page / 1e6, model / 1e6, baseline / 1e6, (double) page / baseline,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
    }

    private static long median(Runnable call) {
        long[] nanos = new long[15];
        for (int i = 0; i < nanos.length; i++) {
            long t0 = System.nanoTime();
            call.run();
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        return nanos[nanos.length / 2];
    }
}
