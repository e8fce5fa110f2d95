package dev.savepoint.security;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The table of API tokens, {@code auth.api_tokens} in the shared PostgreSQL database, through plain JDBC so that the
 * services (reading), scheduler-service's token API and the local stack's bootstrap (writing) use one definition.
 */
public final class TokenStore {

    /** Longest token name. */
    public static final int MAX_NAME = 100;

    private static final String DDL = """
            CREATE SCHEMA IF NOT EXISTS auth;
            CREATE TABLE IF NOT EXISTS auth.api_tokens (
                id            text        PRIMARY KEY,
                secret_sha256 bytea       NOT NULL,
                name          text        NOT NULL,
                role          text        NOT NULL,
                created_at    timestamptz NOT NULL,
                expires_at    timestamptz,
                revoked_at    timestamptz,
                last_used_at  timestamptz
            );
            """;

    /** A stored token, without its secret. */
    public record TokenInfo(String id, String name, Role role, Instant createdAt, Instant expiresAt,
            Instant revokedAt, Instant lastUsedAt) {

        /** Whether the token lets its holder in at {@code now}. */
        public boolean usableAt(Instant now) {
            return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
        }
    }

    /** A token just created: the only moment its full value exists outside the caller. */
    public record IssuedToken(TokenInfo info, String token) {
        @Override
        public String toString() {
            return "IssuedToken[" + info.id() + "]";
        }
    }

    private TokenStore() {
    }

    /** Creates the schema and table when missing; safe to call from several processes at once. */
    public static void ensureTable(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(7316001)");
            s.execute(DDL);
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** Creates a token; {@code ttl} null means it never expires. */
    public static IssuedToken create(Connection c, Role role, String name, Duration ttl) throws SQLException {
        if (name == null || name.isBlank() || name.length() > MAX_NAME) {
            throw new IllegalArgumentException("name must be 1 to " + MAX_NAME + " characters");
        }
        return insert(c, ApiToken.generate(), role, name, ttl);
    }

    /** Stores a given token (a test's token in a second database); {@code ttl} null means it never expires. */
    public static IssuedToken insert(Connection c, ApiToken token, Role role, String name, Duration ttl)
            throws SQLException {
        Instant now = Instant.now();
        Instant expires = ttl == null ? null : now.plus(ttl);
        try (PreparedStatement p = c.prepareStatement("INSERT INTO auth.api_tokens "
                + "(id, secret_sha256, name, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            p.setString(1, token.id());
            p.setBytes(2, token.secretHash());
            p.setString(3, name);
            p.setString(4, role.id());
            p.setTimestamp(5, Timestamp.from(now));
            p.setTimestamp(6, expires == null ? null : Timestamp.from(expires));
            p.executeUpdate();
        }
        return new IssuedToken(new TokenInfo(token.id(), name, role, now, expires, null, null), token.value());
    }

    /** Every token, newest first. */
    public static List<TokenInfo> list(Connection c) throws SQLException {
        List<TokenInfo> all = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT id, name, role, created_at, expires_at, revoked_at, "
                + "last_used_at FROM auth.api_tokens ORDER BY created_at DESC, id");
                ResultSet r = p.executeQuery()) {
            while (r.next()) {
                all.add(info(r));
            }
        }
        return all;
    }

    /** Revokes a token; false when there is no such token. */
    public static boolean revoke(Connection c, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE auth.api_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = ?")) {
            p.setString(1, id);
            return p.executeUpdate() == 1;
        }
    }

    /**
     * The stored token a presented one names when its secret matches and it is neither revoked nor expired; marks it
     * used.
     */
    public static Optional<TokenInfo> verify(Connection c, ApiToken presented) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT id, name, role, created_at, expires_at, revoked_at, "
                + "last_used_at, secret_sha256 FROM auth.api_tokens WHERE id = ?")) {
            p.setString(1, presented.id());
            try (ResultSet r = p.executeQuery()) {
                if (!r.next() || !presented.matches(r.getBytes("secret_sha256"))) {
                    return Optional.empty();
                }
                TokenInfo info = info(r);
                if (!info.usableAt(Instant.now())) {
                    return Optional.empty();
                }
                try (PreparedStatement u = c.prepareStatement(
                        "UPDATE auth.api_tokens SET last_used_at = now() WHERE id = ?")) {
                    u.setString(1, info.id());
                    u.executeUpdate();
                }
                return Optional.of(info);
            }
        }
    }

    private static TokenInfo info(ResultSet r) throws SQLException {
        return new TokenInfo(r.getString("id"), r.getString("name"), Role.parse(r.getString("role")),
                instant(r.getTimestamp("created_at")), instant(r.getTimestamp("expires_at")),
                instant(r.getTimestamp("revoked_at")), instant(r.getTimestamp("last_used_at")));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
