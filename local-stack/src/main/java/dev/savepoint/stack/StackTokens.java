package dev.savepoint.stack;

import dev.savepoint.security.ApiToken;
import dev.savepoint.security.Role;
import dev.savepoint.security.TokenStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * The local stack's API tokens, created in its PostgreSQL on first start: the admin token the user and the CLI use
 * ({@code .savepoint/token}, printed once when it is made) and the service token (role trainer) the services send to
 * each other and pass to attempts ({@code .savepoint/service-token}). Both files are readable by their owner only.
 * A stored token the database no longer knows (a wiped database) is replaced.
 */
public final class StackTokens {

    private final StackSettings settings;
    private final String jdbcUrl;

    StackTokens(StackSettings settings, String jdbcUrl) {
        this.settings = settings;
        this.jdbcUrl = jdbcUrl;
    }

    /** The admin token's file: {@code ./savepoint token ...} and the console login read it. */
    public Path adminFile() {
        return settings.root().resolve("token");
    }

    Path serviceFile() {
        return settings.root().resolve("service-token");
    }

    /** Creates the table and the two tokens when missing; prints a new admin token once. */
    void ensure(PrintStream out) {
        try (Connection c = connect()) {
            TokenStore.ensureTable(c);
            if (ensureToken(c, adminFile(), Role.ADMIN, "admin (created by ./savepoint up)")) {
                out.println("  An admin API token was created and stored in " + adminFile() + " (mode 600).");
                out.println("  It is shown this once; the CLI reads it from that file:");
                out.println("    " + read(adminFile()).orElseThrow());
            }
            ensureToken(c, serviceFile(), Role.TRAINER, "services (created by ./savepoint up)");
        } catch (SQLException e) {
            throw new StackException("cannot create the API tokens in PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** A new token of {@code role} (for tests and the CLI's bootstrap); never stored in a file. */
    public String create(Role role, String name, Duration ttl) {
        try (Connection c = connect()) {
            TokenStore.ensureTable(c);
            return TokenStore.create(c, role, name, ttl).token();
        } catch (SQLException e) {
            throw new StackException("cannot create an API token: " + e.getMessage(), e);
        }
    }

    /**
     * Makes the tests' tokens valid in another database as well (a test's own PostgreSQL, see
     * {@link PrivatePostgresProfile}), so its service accepts the same callers.
     */
    static void admitTestTokens(String jdbcUrl) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, Postgres.USER, Postgres.PASSWORD)) {
            TokenStore.ensureTable(c);
            for (Role role : Role.values()) {
                ApiToken token = ApiToken.parse(TestStack.token(role)).orElseThrow();
                if (TokenStore.verify(c, token).isEmpty()) {
                    TokenStore.insert(c, token, role, "test " + role.id(), null);
                }
            }
        } catch (SQLException e) {
            throw new StackException("cannot admit the test tokens in " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    /** The admin token, once the stack is up. */
    public String admin() {
        return read(adminFile()).orElseThrow(() -> new StackException(adminFile() + " is missing: run ./savepoint up"));
    }

    /** The service token, if the stack made one. */
    public Optional<String> service() {
        return read(serviceFile());
    }

    private boolean ensureToken(Connection c, Path file, Role role, String name) throws SQLException {
        Optional<ApiToken> stored = read(file).flatMap(ApiToken::parse);
        if (stored.isPresent() && TokenStore.verify(c, stored.get()).isPresent()) {
            return false;
        }
        String token = TokenStore.create(c, role, name, null).token();
        try {
            Path fresh = Classpaths.ownerOnlyFile(file.resolveSibling(file.getFileName() + ".new"));
            Files.writeString(fresh, token + "\n");
            Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StackException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return true;
    }

    private static Optional<String> read(Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file).trim()) : Optional.empty();
        } catch (IOException e) {
            throw new StackException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, Postgres.USER, Postgres.PASSWORD);
    }
}
