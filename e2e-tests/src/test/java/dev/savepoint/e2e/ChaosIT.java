package dev.savepoint.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.stack.LocalStack;
import dev.savepoint.stack.Services;
import dev.savepoint.stack.StackSettings;
import dev.savepoint.stack.chaos.ChaosRun;
import dev.savepoint.stack.chaos.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The CI-sized chaos run: at least 30 faults (attempts, services, Kafka, S3, PostgreSQL, a zombie) from a seed drawn
 * per run and printed (replay with {@code -Dchaos.seed=}), and every invariant must hold. It kills the broker, S3 and
 * PostgreSQL, so it runs on a private stack of its own (its own root and ports, after {@code SAVEPOINT_E2E_PORT_BASE}
 * + 20) and its own three services, never the shared stack the other tests of this JVM use.
 */
class ChaosIT {

    static final ChaosRun.Size CI = new ChaosRun.Size(Duration.ofSeconds(150), 36, Duration.ofSeconds(12), 3000, 2,
            1);

    private static LocalStack stack;
    private static Services services;

    @BeforeAll
    static void privateStackAndServices() throws IOException, SQLException {
        int base = Integer.parseInt(System.getenv().getOrDefault("SAVEPOINT_E2E_PORT_BASE", "18080").trim()) + 20;
        Path repo = StackSettings.repositoryRoot();
        Path root = repo.resolve("e2e-tests/target/chaos-stack");
        StackSettings shared = StackSettings.fromEnvironment();
        stack = new LocalStack(new StackSettings(root, shared.host(), base, base + 1, base + 2, base + 3,
                shared.s3AccessKey(), shared.s3SecretKey(), shared.bucket()));
        Map<String, String> env = new HashMap<>(ChaosRun.SERVICE_ENV);
        // Give every step 10 ms and slow uploads a little, as the other end-to-end tests do, so that runs span the
        // faults and a kill can land while a checkpoint is half-written.
        env.put("SAVEPOINT_TEST_STEP_PAUSE_MS", "10");
        env.put("SAVEPOINT_TEST_UPLOAD_PAUSE_MS", "40");
        services = new Services(stack, repo, root.resolve("services"), new Services.ServicePorts(base + 11, base + 12,
                base + 13), Map.of("*", env));
        // A fresh stack: what a test JVM killed earlier left running is stopped, its broker's and S3's data deleted
        // and the services' schemas dropped, so that no run of an earlier chaos run trains (and is hit) in this one.
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        services.down(quiet);
        stack.down(quiet);
        deleteRecursively(root.resolve("kafka"));
        deleteRecursively(root.resolve("s3"));
        stack.up(System.out);
        dropSchemas("checkpoints", "scheduler");
        services.up(System.out);
    }

    private static void dropSchemas(String... names) throws SQLException {
        Map<String, String> c = stack.serviceConfig();
        try (Connection db = DriverManager.getConnection(c.get("quarkus.datasource.jdbc.url"),
                c.get("quarkus.datasource.username"), c.get("quarkus.datasource.password"));
                Statement s = db.createStatement()) {
            for (String name : names) {
                s.execute("drop schema if exists " + name + " cascade");
            }
        }
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (Files.exists(folder)) {
            try (Stream<Path> paths = Files.walk(folder)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @AfterAll
    static void stopEverything() {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        if (services != null) {
            services.down(quiet);
        }
        if (stack != null) {
            stack.down(quiet);
        }
    }

    /**
     * One chaos run, or {@code -Dchaos.runs=N} in a row on the same stack, each with its own seed: the acceptance is
     * three in a row holding every invariant.
     */
    @TestFactory
    Stream<DynamicTest> thirtyFaultsAtRandomBreakNoInvariant() {
        int runs = Integer.getInteger("chaos.runs", 1);
        return IntStream.rangeClosed(1, runs).mapToObj(i -> DynamicTest.dynamicTest("chaos run " + i + " of " + runs,
                () -> chaosRun(Long.getLong("chaos.seed", System.nanoTime()))));
    }

    private static void chaosRun(long seed) throws InterruptedException {
        System.out.println("ChaosIT: seed " + seed + " (replay: -Dchaos.seed=" + seed + ")");
        ChaosRun.Outcome outcome = new ChaosRun(stack, services, System.out).run(seed, CI, "checkpoints",
                "scheduler", stack.serviceConfig());
        long injected = outcome.chaos().faults().stream().filter(f -> f.injected()).count();
        assertTrue(injected >= 30, "only " + injected + " of the faults could be injected (seed " + seed + ")");
        for (Verdict v : outcome.verdicts()) {
            assertTrue(v.held(), "invariant broken: " + v.invariant() + ": " + v.details() + " (replay: -Dchaos.seed="
                    + seed + ")");
        }
    }
}
