package dev.savepoint.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * PostgreSQL for Savepoint: the server on the configured port when one answers (the {@code savepoint} role and
 * database created when missing), else PostgreSQL binaries from Maven run by the stack on that port or a free one.
 */
final class Postgres implements StackPart {

    static final String DATABASE = "savepoint";
    static final String USER = "savepoint";
    static final String PASSWORD = "savepoint";

    private final StackSettings settings;
    private final ManagedProcess process;
    private final PostgresBinaries binaries;
    private final Path stateFile;

    Postgres(StackSettings settings) {
        this.settings = settings;
        this.process = new ManagedProcess("postgres", settings);
        this.binaries = new PostgresBinaries(settings);
        this.stateFile = settings.root().resolve("postgres.properties");
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public String address() {
        return settings.host() + ":" + port() + "/" + DATABASE + (isManaged() ? " (started by the stack)" : "");
    }

    @Override
    public List<Integer> ports() {
        return List.of(); // never conflicts: it reuses a server that answers, or takes a free port
    }

    /** The port clients use: the one the stack's own server runs on, else the configured one. */
    int port() {
        if (process.running().isPresent()) {
            return Integer.parseInt(readState().getProperty("port", Integer.toString(settings.postgresPort())));
        }
        return settings.postgresPort();
    }

    @Override
    public boolean isUp() {
        return canConnect(settings.host(), port(), DATABASE, USER, PASSWORD);
    }

    @Override
    public boolean isManaged() {
        return process.running().isPresent();
    }

    @Override
    public void start() {
        int port = settings.postgresPort();
        if (provision(port)) {
            return; // a server already answers there and now has our role and database
        }
        if (!Ports.free(settings.host(), port)) {
            port = Ports.freePort(settings.host());
        }
        runOwnServer(port);
        if (!provision(port)) {
            throw new StackException("PostgreSQL started on port " + port + " but the savepoint database could not be "
                    + "created; log:\n" + process.logTail(20));
        }
    }

    @Override
    public boolean stop() {
        return process.stop("INT", Duration.ofSeconds(20)); // SIGINT: fast shutdown, clients disconnected
    }

    /** Starts the stack's own server again on the port it had, after a stop or a kill (its data kept). */
    void restart() {
        runOwnServer(Integer.parseInt(readState().getProperty("port", Integer.toString(settings.postgresPort()))));
    }

    private void runOwnServer(int port) {
        Path data = binaries.dataDir();
        List<String> command = binaries.serverCommand(data, settings.host(), port);
        Properties state = new Properties();
        state.setProperty("port", Integer.toString(port));
        writeState(state);
        process.start(command, data, Map.of("LC_ALL", "C"));
        if (!Ports.await(Duration.ofSeconds(60),
                () -> process.running().isPresent() && canConnect(settings.host(), port, "postgres", "postgres", ""))) {
            throw new StackException("PostgreSQL did not start on port " + port + "; last log lines:\n"
                    + process.logTail(20));
        }
    }

    private boolean provision(int port) {
        return provision(settings.host(), port);
    }

    /** Creates the savepoint role and database on the server at host:port; false when no usable server answers. */
    static boolean provision(String host, int port) {
        if (canConnect(host, port, DATABASE, USER, PASSWORD)) {
            return true;
        }
        try (Connection c = connect(host, port, "postgres", "postgres", "");
                Statement s = c.createStatement()) {
            if (!s.executeQuery("select 1 from pg_roles where rolname = '" + USER + "'").next()) {
                s.execute("create role " + USER + " login password '" + PASSWORD + "'");
            }
            if (!s.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'").next()) {
                s.execute("create database " + DATABASE + " owner " + USER);
            }
            return canConnect(host, port, DATABASE, USER, PASSWORD);
        } catch (SQLException e) {
            return false;
        }
    }

    static boolean canConnect(String host, int port, String db, String user, String password) {
        try (Connection c = connect(host, port, db, user, password)) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static Connection connect(String host, int port, String db, String user, String password)
            throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "2");
        props.setProperty("loginTimeout", "3");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + db, props);
    }

    private Properties readState() {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(stateFile)) {
            p.load(in);
        } catch (IOException ignored) {
            // no state yet: defaults apply
        }
        return p;
    }

    private void writeState(Properties state) {
        try {
            Files.createDirectories(stateFile.getParent());
            try (var out = Files.newBufferedWriter(stateFile)) {
                state.store(out, "PostgreSQL started by ./savepoint stack up");
            }
        } catch (IOException e) {
            throw new StackException("cannot write " + stateFile + ": " + e.getMessage(), e);
        }
    }
}
