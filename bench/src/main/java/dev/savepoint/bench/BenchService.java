package dev.savepoint.bench;

import dev.savepoint.stack.LocalStack;
import dev.savepoint.stack.Services;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The bench's own checkpoint-service: the built application, on its own port ({@code SAVEPOINT_BENCH_PORT}, default
 * 8092), consuming {@code savepoint.checkpoints} in its own group into its own catalog schema {@code bench} (dropped
 * before and after), so that a bench never touches the catalog of the services {@code ./savepoint up} runs. Storage
 * verification is off: the figures measure the catalog, the events name no stored objects.
 */
final class BenchService implements AutoCloseable {

    static final String SCHEMA = "bench";
    private static final String NAME = "checkpoint-service";

    private final LocalStack stack;
    private final Services services;
    private final int port;
    private boolean started;

    BenchService(LocalStack stack, Path repo) {
        this.stack = stack;
        this.port = Integer.parseInt(System.getenv().getOrDefault("SAVEPOINT_BENCH_PORT", "8092"));
        this.services = new Services(stack, repo, stack.settings().root().resolve("bench"),
                new Services.ServicePorts(port - 1, port, port + 1), Map.of(NAME, Map.of(
                        "QUARKUS_FLYWAY_SCHEMAS", SCHEMA,
                        "MP_MESSAGING_INCOMING_CHECKPOINT_EVENTS_GROUP_ID", "checkpoint-service-bench",
                        "MP_MESSAGING_INCOMING_RUN_EVENTS_GROUP_ID", "checkpoint-service-bench",
                        "SAVEPOINT_VERIFY_ENABLED", "false",
                        "SAVEPOINT_SWEEPER_ENABLED", "false")));
    }

    /** Starts the service on an empty catalog schema, once; later calls return at once. */
    void start(PrintStream out) throws SQLException {
        if (started) {
            return;
        }
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
