package dev.savepoint.bench;

import dev.savepoint.contracts.Topics;
import dev.savepoint.stack.LocalStack;
import dev.savepoint.stack.Services;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * The bench's own checkpoint-service: the built application, on its own port ({@code SAVEPOINT_BENCH_PORT}, default
 * 8092), consuming its own topic {@link #TOPIC} in its own group into its own catalog schema {@code bench} (dropped
 * before and after), so that a bench never touches the catalog of the services {@code ./savepoint up} runs. Storage
 * verification is off: the figures measure the catalog, the events name no stored objects.
 */
final class BenchService implements AutoCloseable {

    static final String SCHEMA = "bench";
    /** The bench's own checkpoint topic: its events never reach the services or tests sharing the stack. */
    static final String TOPIC = "savepoint.bench.checkpoints";
    private static final String NAME = "checkpoint-service";

    private final LocalStack stack;
    private final Services services;
    private final int port;
    private boolean started;

    BenchService(LocalStack stack, Path repo) {
        this.stack = stack;
        this.port = Integer.parseInt(System.getenv().getOrDefault("SAVEPOINT_BENCH_PORT", "8092"));
        this.services = new Services(stack, repo, stack.settings().root().resolve("bench"),
                new Services.ServicePorts(port - 1, port, port + 1), Map.of(NAME, environment(stack)));
    }

    /**
     * The service's settings beside the stack's: its own schema and group, and its own checkpoint topic (read and
     * written as the broker's admin user, since the service's user may only use the product's topics), so that the
     * bench's events never reach the services or the tests that share the stack.
     */
    private static Map<String, String> environment(LocalStack stack) {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_FLYWAY_SCHEMAS", SCHEMA);
        env.put("MP_MESSAGING_INCOMING_CHECKPOINT_EVENTS_GROUP_ID", "checkpoint-service-bench");
        env.put("MP_MESSAGING_INCOMING_RUN_EVENTS_GROUP_ID", "checkpoint-service-bench");
        env.put("MP_MESSAGING_INCOMING_CHECKPOINT_EVENTS_TOPIC", TOPIC);
        env.put("MP_MESSAGING_OUTGOING_CHECKPOINT_EVENTS_OUT_TOPIC", TOPIC);
        env.put("MP_MESSAGING_INCOMING_CHECKPOINT_EVENTS_DEAD_LETTER_QUEUE_TOPIC", Topics.dlq(TOPIC));
        env.put("MP_MESSAGING_OUTGOING_DEAD_LETTERS_TOPIC", Topics.dlq(TOPIC));
        env.put("KAFKA_SASL_JAAS_CONFIG", String.valueOf(stack.kafkaAdminConfig().get(SaslConfigs.SASL_JAAS_CONFIG)));
        env.put("SAVEPOINT_VERIFY_ENABLED", "false");
        env.put("SAVEPOINT_SWEEPER_ENABLED", "false");
        return env;
    }

    /** Creates the bench's topic and its dead-letter twin where missing. */
    private void createTopics() throws Exception {
        try (Admin admin = Admin.create(stack.kafkaAdminConfig())) {
            var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            var missing = java.util.stream.Stream.of(TOPIC, Topics.dlq(TOPIC)).filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, 3, (short) 1)).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts the service on an empty catalog schema, once; later calls return at once. */
    void start(PrintStream out) throws Exception {
        if (started) {
            return;
        }
        createTopics();
        dropSchema();
        Services.Service s = services.service(NAME);
        services.start(s);
        started = true;
        services.awaitHealthy(s, out);
    }

    String url() {
        return services.service(NAME).url();
    }

    String adminToken() {
        return services.adminToken();
    }

    /** A connection to the stack's database with the bench schema as its search path. */
    Connection connect() throws SQLException {
        Map<String, String> c = stack.serviceConfig();
        Connection connection = DriverManager.getConnection(c.get("quarkus.datasource.jdbc.url"),
                c.get("quarkus.datasource.username"), c.get("quarkus.datasource.password"));
        try (Statement s = connection.createStatement()) {
            s.execute("set search_path to " + SCHEMA);
        }
        return connection;
    }

    @Override
    public void close() throws SQLException {
        if (started) {
            services.down(new PrintStream(PrintStream.nullOutputStream()));
            dropSchema();
            started = false;
        }
    }

    private void dropSchema() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("drop schema if exists " + SCHEMA + " cascade");
        }
    }
}
