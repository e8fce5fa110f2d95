package dev.savepoint.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A PostgreSQL server one test owns, never the machine's or the stack's: the stack's binaries on a free port with a
 * fresh data folder, so that the test may stop it, freeze it and start it again under a running service.
 */
public final class PrivatePostgres implements AutoCloseable {

    private static final Map<String, PrivatePostgres> STARTED = new HashMap<>();

    private final String host;
    private final int port;
    private final Path data;
    private final ManagedProcess process;
    private final PostgresBinaries binaries;

    private PrivatePostgres(String name, StackSettings settings) {
        this.host = settings.host();
        this.port = Ports.freePort(host);
        this.binaries = new PostgresBinaries(settings);
        this.data = binaries.privateDataDir(name);
        this.process = new ManagedProcess("postgres-" + name, settings.withRoot(settings.root().resolve("private")));
    }

    /** The server named {@code name}, started (with an empty savepoint database) on first use in this JVM. */
    public static synchronized PrivatePostgres started(String name) {
        PrivatePostgres server = STARTED.get(name);
        if (server == null) {
            server = new PrivatePostgres(name, TestStack.shared().settings());
            server.process.stop("INT", Duration.ofSeconds(20)); // one left behind by a JVM that was killed
            deleteRecursively(server.data);
            server.binaries.initialised(server.data);
            server.start();
            if (!Postgres.provision(server.host, server.port)) {
                throw new StackException("the savepoint database could not be created on the private PostgreSQL "
                        + server.address() + "; log:\n" + server.process.logTail(20));
            }
            PrivatePostgres stopOnExit = server;
            Runtime.getRuntime().addShutdownHook(new Thread(stopOnExit::close));
            STARTED.put(name, server);
        }
        return server;
    }

    /** Quarkus datasource settings that point a service at this server. */
    public Map<String, String> datasourceConfig() {
        return Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://" + address() + "/" + Postgres.DATABASE,
                "quarkus.datasource.username", Postgres.USER, "quarkus.datasource.password", Postgres.PASSWORD);
    }

    public String address() {
        return host + ":" + port;
    }

    /** Starts the server (again) on its port and waits until it accepts connections. */
    public synchronized void start() {
        process.start(binaries.serverCommand(data, host, port), data, Map.of("LC_ALL", "C"));
        if (!Ports.await(Ports.STARTUP_DEADLINE, this::answers)) {
            throw new StackException("the private PostgreSQL did not start on " + address() + "; log:\n"
                    + process.logTail(20));
        }
    }

    /** Stops the server the way an outage does: fast shutdown, every client disconnected. */
    public synchronized void stop() {
        process.stop("INT", Duration.ofSeconds(20));
    }

    /** True when the savepoint database (or, before it exists, the server) accepts a connection. */
    public boolean answers() {
        return Postgres.canConnect(host, port, Postgres.DATABASE, Postgres.USER, Postgres.PASSWORD)
                || Postgres.canConnect(host, port, "postgres", "postgres", "");
    }

    @Override
    public synchronized void close() {
        stop();
    }

    private static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new StackException("cannot empty the private PostgreSQL folder " + folder + ": " + e.getMessage(), e);
        }
    }
}
