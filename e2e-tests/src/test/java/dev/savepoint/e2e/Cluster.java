package dev.savepoint.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.savepoint.stack.LocalStack;
import dev.savepoint.stack.SavepointClient;
import dev.savepoint.stack.Services;
import dev.savepoint.stack.StackSettings;
import dev.savepoint.stack.TestStack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;

/**
 * All three packaged services as real processes on the shared local stack, on ports of their own (18081-18083, or
 * the three after {@code SAVEPOINT_E2E_PORT_BASE} so that two checkouts can run their end-to-end tests at once),
 * started once per test JVM and stopped when it exits.
 */
final class Cluster {

    static final Set<String> DONE = Set.of("SUCCEEDED", "GAVE_UP", "CANCELLED");

    private static Cluster instance;
    private static Cluster replicated;

    final LocalStack stack;
    final Services services;
    final SavepointClient client;
    /** The schemas of scheduler-service and checkpoint-service. */
    final String schedulerSchema;
    final String checkpointSchema;

    private Cluster() {
        this("e2e", "e2e", 0, 1, Map.of(), Map.of());
    }

    /**
     * A cluster whose state is under {@code target/FOLDER}, whose schemas start with {@code schemaPrefix}, whose ports
     * are {@code portOffset} after the base, with {@code replicas} replicas of each service and extra settings.
     */
    private Cluster(String folder, String schemaPrefix, int portOffset, int replicas, Map<String, String> checkpoint,
            Map<String, String> scheduler) {
        this.stack = TestStack.shared();
        this.schedulerSchema = schemaPrefix + "_scheduler";
        this.checkpointSchema = schemaPrefix + "_checkpoints";
        Path repo = StackSettings.repositoryRoot();
        // Slow uploads a little, so that a kill can land while a checkpoint is half-written; give every step 10 ms, so
        // that a run lasts about as long on a fast machine as on a slow one and an outage falls in its middle; and
        // keep the services' tables in schemas of their own, emptied at the start, so that no other run of this
        // database interferes.
        this.services = new Services(stack, repo, repo.resolve("e2e-tests/target/" + folder),
                ports(portOffset), Map.of(
                        "*", Map.of("SAVEPOINT_TEST_UPLOAD_PAUSE_MS", "40", "SAVEPOINT_TEST_STEP_PAUSE_MS", "10"),
                        // Other modules' tests sent commands to the same broker earlier in the build: not ours.
                        "trainer-service", Map.of("SAVEPOINT_COMMANDS_RUN_ID_PREFIX", "e2e-"),
                        "scheduler-service", with(schema(schedulerSchema), scheduler),
                        "checkpoint-service", with(withSmallBatches(schema(checkpointSchema)), checkpoint)),
                replicas);
        dropSchemas(schedulerSchema, checkpointSchema);
        this.client = new SavepointClient(services);
    }

    private static Map<String, String> with(Map<String, String> env, Map<String, String> more) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.putAll(more);
        return all;
    }

    private static Services.ServicePorts ports(int offset) {
        String base = System.getenv().getOrDefault("SAVEPOINT_E2E_PORT_BASE", "18080");
        int b;
        try {
            b = Integer.parseInt(base.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("SAVEPOINT_E2E_PORT_BASE must be a port number, got '" + base + "'", e);
        }
        if (b < 1024 || b > 65530) {
            throw new IllegalStateException("SAVEPOINT_E2E_PORT_BASE must be between 1024 and 65530, got " + b);
        }
        return new Services.ServicePorts(b + offset + 1, b + offset + 2, b + offset + 3);
    }

    private static Map<String, String> schema(String name) {
        return Map.of("QUARKUS_FLYWAY_SCHEMAS", name, "QUARKUS_FLYWAY_DEFAULT_SCHEMA", name,
                "QUARKUS_HIBERNATE_ORM_DATABASE_DEFAULT_SCHEMA", name,
                "QUARKUS_DATASOURCE_JDBC_URL", TestStack.shared().serviceConfig().get("quarkus.datasource.jdbc.url")
                        + "?currentSchema=" + name);
    }

    /** Small consumer batches, so that a kill lands between committed batches of a burst. */
    private static Map<String, String> withSmallBatches(Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("MP_MESSAGING_INCOMING_CHECKPOINT_EVENTS_MAX_POLL_RECORDS", "20");
        return all;
    }

    private void dropSchemas(String... names) {
        try (Connection db = database(); Statement s = db.createStatement()) {
            for (String name : names) {
                s.execute("drop schema if exists " + name + " cascade");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reset the end-to-end schemas: " + e.getMessage(), e);
        }
    }

    static synchronized Cluster get() {
        if (instance == null) {
            instance = started(new Cluster());
        }
        return instance;
    }

    /**
     * Two replicas of each service (ports 11-16 after the base, schemas e2e_replicas_*), their periodic jobs every
     * 2-3 s, so that a test sees many rounds claimed among replicas, and a round presumed dead after 60 s: on a loaded
     * machine a round can run past 15 s, and a takeover then makes two rounds overlap (ReplicasIT saw it happen).
     */
    static synchronized Cluster replicated() {
        if (replicated == null) {
            replicated = started(new Cluster("e2e-replicas", "e2e_replicas", 10, 2,
                    Map.of("SAVEPOINT_GC_INTERVAL", "2s", "SAVEPOINT_SWEEPER_ENABLED", "true",
                            "SAVEPOINT_SWEEPER_INTERVAL", "3s", "SAVEPOINT_PROCESSED_EVENTS_PRUNE_INTERVAL", "2s",
                            "SAVEPOINT_CLUSTER_JOBS_STALE_AFTER", "60s"),
                    Map.of("SAVEPOINT_SCHEDULER_PROCESSED_EVENTS_PRUNE_INTERVAL", "2s",
                            "SAVEPOINT_SCHEDULER_CLUSTER_JOBS_STALE_AFTER", "60s")));
        }
        return replicated;
    }

    private static Cluster started(Cluster c) {
        c.services.up(System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> c.services.down(new PrintStream(
                new ByteArrayOutputStream()))));
        return c;
    }

    /** A JDBC connection to the stack's database, for reading the services' tables. */
    Connection database() throws SQLException {
        Map<String, String> c = stack.serviceConfig();
        return DriverManager.getConnection(c.get("quarkus.datasource.jdbc.url"), c.get("quarkus.datasource.username"),
                c.get("quarkus.datasource.password"));
    }

    /** SIGKILLs a service process and, like a lost node, every process it started. */
    void killService(String name) {
        kill(services.running(name).orElseThrow(() -> new AssertionError(name + " is not running")));
    }

    /** SIGKILLs a process and every process it started. */
    static void kill(ProcessHandle p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.onExit().join();
    }

    void startService(String name) {
        services.start(services.service(name));
        services.awaitHealthy(services.service(name), System.out);
    }

    JsonNode awaitDone(String runId, Duration timeout) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(250))
                .until(() -> DONE.contains(client.run(runId).path("state").asText()));
        return client.run(runId);
    }

    /** Waits until the catalog holds a committed checkpoint of the run at {@code step} or later. */
    void awaitCommittedCheckpoint(String runId, long step) {
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() ->
                client.latestCheckpoint(runId).map(c -> c.path("step").asLong() >= step).orElse(false));
    }

    /** Waits until the run's attempt {@code attempt} is running and past {@code step}, then returns its pid. */
    long awaitAttemptPast(String runId, int attempt, long step) {
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50)).until(() ->
                client.run(runId).path("currentAttempt").asInt() == attempt
                        && client.run(runId).path("step").asLong() >= step
                        && client.attemptPid(runId, attempt).isPresent());
        return client.attemptPid(runId, attempt).orElseThrow();
    }
}
