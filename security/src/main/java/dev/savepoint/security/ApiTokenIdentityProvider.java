package dev.savepoint.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Checks a presented API token against {@code auth.api_tokens} through the service's own datasource. A positive
 * answer is remembered for {@link #CACHE_FOR} so a busy client does not cost a query per request; a revocation is
 * therefore honoured within that time. Negative answers are not cached (a token created a moment ago works at once).
 * While the database does not answer, a token verified within {@link #STALE_IF_UNREACHABLE} is still accepted, so
 * that a signed-in user keeps reading what the services can still serve and sees which part is down (no token can
 * be revoked meanwhile: revocation writes to that database); a token not seen before is refused.
 */
@ApplicationScoped
public class ApiTokenIdentityProvider implements IdentityProvider<ApiTokenAuthenticationRequest> {

    static final Duration CACHE_FOR = Duration.ofSeconds(5);
    static final Duration STALE_IF_UNREACHABLE = Duration.ofMinutes(10);

    /** The attribute that marks an identity as an API token's (the OIDC role mapping leaves those alone). */
    public static final String TOKEN_ID_ATTRIBUTE = "savepoint.token-id";
    private static final Logger LOG = Logger.getLogger(ApiTokenIdentityProvider.class);

    private record Known(byte[] secretHash, TokenStore.TokenInfo info, Instant until) {
        /** Whether this remembered answer is about the presented secret and the token is not expired or revoked. */
        boolean vouchesFor(ApiToken token, Instant now) {
            return MessageDigest.isEqual(secretHash, token.secretHash()) && info.usableAt(now);
        }
    }

    private final DataSource dataSource;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    public ApiTokenIdentityProvider(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Class<ApiTokenAuthenticationRequest> getRequestType() {
        return ApiTokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiTokenAuthenticationRequest request,
            AuthenticationRequestContext context) {
        Optional<ApiToken> token = ApiToken.parse(request.token());
        if (token.isEmpty()) {
            // It starts with sp_, so it is meant as ours: refused here (401), never handed on to OIDC.
            return Uni.createFrom().failure(new AuthenticationFailedException(
                    "malformed API token: expected sp_<12 characters>_<43 characters>"));
        }
        return context.runBlocking(() -> identity(verify(token.get())));
    }

    /** The role of a presented token when it is valid now (the console's login checks it before setting a cookie). */
    public Optional<Role> roleOf(String presented) {
        try {
            return ApiToken.parse(presented).map(t -> verify(t).role());
        } catch (AuthenticationFailedException e) {
            return Optional.empty();
        }
    }

    /** The token's stored facts when it is valid now; otherwise authentication fails (401). */
    TokenStore.TokenInfo verify(ApiToken token) {
        Instant now = Instant.now();
        Known k = known.get(token.id());
        if (k != null && now.isBefore(k.until()) && k.vouchesFor(token, now)) {
            return k.info();
        }
        try (Connection c = dataSource.getConnection()) {
            TokenStore.TokenInfo info = TokenStore.verify(c, token)
                    .orElseThrow(() -> new AuthenticationFailedException("unknown, revoked or expired API token"));
            known.put(token.id(), new Known(token.secretHash(), info, now.plus(CACHE_FOR)));
            return info;
        } catch (SQLException e) {
            if (k != null && now.isBefore(k.until().plus(STALE_IF_UNREACHABLE)) && k.vouchesFor(token, now)) {
                LOG.debugf("the token database does not answer (%s): token %s was valid at %s", e.getMessage(),
                        token.id(), k.until().minus(CACHE_FOR));
                return k.info();
            }
            LOG.warnf("cannot check an API token: %s", e.getMessage());
            throw new AuthenticationFailedException("API tokens cannot be checked right now", e);
        }
    }

    private static SecurityIdentity identity(TokenStore.TokenInfo info) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal("token:" + info.id() + " (" + info.name() + ")"))
                .addRoles(info.role().grants())
                .addAttribute(TOKEN_ID_ATTRIBUTE, info.id())
                .build();
    }
}
