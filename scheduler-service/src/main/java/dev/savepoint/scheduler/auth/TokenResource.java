package dev.savepoint.scheduler.auth;

import dev.savepoint.security.Role;
import dev.savepoint.security.TokenStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The admin's API of API tokens: create one (its value is in this answer only), list them (never a secret), revoke
 * one. scheduler-service owns the {@code auth.api_tokens} table and creates it at start; the other services only read
 * it to check tokens.
 */
@Path("/api/tokens")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    private static final Pattern TTL = Pattern.compile("([1-9][0-9]{0,5})([mhd])");
    private static final Pattern TOKEN_ID = Pattern.compile("[A-Za-z0-9]{12}");
    private static final Duration MAX_TTL = Duration.ofDays(3650);

    /** A request to create a token; ttl like {@code 30d}, {@code 12h}, {@code 90m}, absent for no expiry. */
    public record CreateRequest(String role, String name, String ttl) {
    }

    /** A token as listed: never its secret. */
    public record TokenView(String id, String name, String role, Instant createdAt, Instant expiresAt,
            Instant revokedAt, Instant lastUsedAt) {
        static TokenView of(TokenStore.TokenInfo i) {
            return new TokenView(i.id(), i.name(), i.role().id(), i.createdAt(), i.expiresAt(), i.revokedAt(),
                    i.lastUsedAt());
        }
    }

    /** A token just created, with its value: shown this once. */
    public record CreatedToken(String id, String name, String role, Instant createdAt, Instant expiresAt,
            String token) {
    }

    private final DataSource dataSource;

    public TokenResource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void createTable(@Observes StartupEvent start) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            TokenStore.ensureTable(c);
        }
    }

    @RolesAllowed({Role.ADMIN_NAME})
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(CreateRequest request) throws SQLException {
        if (request == null) {
            throw new IllegalArgumentException("the body must be a JSON object with role, name and ttl");
        }
        if (request.role() == null) {
            throw new IllegalArgumentException("role is required: viewer, operator, admin or trainer");
        }
        Role role;
        try {
            role = Role.parse(request.role().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("role must be viewer, operator, admin or trainer");
        }
        String name = request.name() == null ? role.id() + " token" : request.name();
        if (name.isBlank() || name.length() > TokenStore.MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("name must be 1 to " + TokenStore.MAX_NAME
                    + " printable characters");
        }
        Duration ttl = ttl(request.ttl());
        try (Connection c = dataSource.getConnection()) {
            var issued = TokenStore.create(c, role, name, ttl);
            var i = issued.info();
            return Response.status(Response.Status.CREATED).entity(new CreatedToken(i.id(), i.name(), i.role().id(),
                    i.createdAt(), i.expiresAt(), issued.token())).build();
        }
    }

    @RolesAllowed({Role.ADMIN_NAME})
    @GET
    public List<TokenView> list() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return TokenStore.list(c).stream().map(TokenView::of).toList();
        }
    }

    @RolesAllowed({Role.ADMIN_NAME})
    @DELETE
    @Path("/{tokenId}")
    public Response revoke(@PathParam("tokenId") String id) throws SQLException {
        if (!TOKEN_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("tokenId must be a token id of 12 letters and digits");
        }
        try (Connection c = dataSource.getConnection()) {
            if (!TokenStore.revoke(c, id)) {
                throw new NotFoundException("no API token " + id);
            }
        }
        return Response.noContent().build();
    }

    static Duration ttl(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        var m = TTL.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("ttl must be a number and a unit m, h or d (like 30d), got " + text);
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("ttl must be at most 3650d, got " + text);
        }
        return d;
    }
}
