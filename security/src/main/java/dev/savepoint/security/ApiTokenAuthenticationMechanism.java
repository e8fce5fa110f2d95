package dev.savepoint.security;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Reads the caller's API token from {@code Authorization: Bearer sp_...} or, for the console in a browser, from the
 * HTTP-only session cookie that {@code POST /console/login} sets. Without one the caller is anonymous, which every
 * {@code @RolesAllowed} endpoint answers 401 (an API) or with a redirect to the login page (the console).
 * <p>
 * Beside OIDC: Quarkus asks the mechanisms in descending {@link #getPriority()} and stops at the first that returns
 * an identity or fails. Ours comes first, so an {@code sp_} bearer is decided here (a bad one is 401 and never
 * reaches OIDC); any other bearer gets no identity here and goes on to OIDC's mechanism when OIDC is enabled.
 */
@ApplicationScoped
public class ApiTokenAuthenticationMechanism implements HttpAuthenticationMechanism {

    /** The console's session cookie: its value is the token. */
    public static final String COOKIE = "savepoint_session";
    private static final String BEARER = "Bearer ";
    /** Above OIDC's mechanism ({@code quarkus.oidc.priority}, by default {@code DEFAULT_PRIORITY + 1}). */
    static final int PRIORITY = DEFAULT_PRIORITY + 100;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String token = presented(context);
        if (token == null) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        return identityProviderManager.authenticate(new ApiTokenAuthenticationRequest(token));
    }

    /** The token the request carries, or null. */
    static String presented(RoutingContext context) {
        String header = context.request().getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String value = header.substring(BEARER.length()).trim();
            return ApiToken.looksLikeOne(value) ? value : null;
        }
        Cookie cookie = context.request().getCookie(COOKIE);
        return cookie != null && ApiToken.looksLikeOne(cookie.getValue()) ? cookie.getValue() : null;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        if (context.normalizedPath().startsWith("/console")) {
            return Uni.createFrom().item(new ChallengeData(302, "Location", "/console/login"));
        }
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"savepoint\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiTokenAuthenticationRequest.class);
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }
}
