package dev.savepoint.checkpoint.console;

import dev.savepoint.security.ApiTokenAuthenticationMechanism;
import dev.savepoint.security.Role;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * The signed-in user as the console acts for them: the credential they came with (the API's bearer token, or the
 * sign-in cookie's token), passed on unchanged to scheduler-service, and whether they may act (operator).
 */
public record Caller(String authorization, boolean operator) {

    static Caller of(HttpHeaders headers, SecurityIdentity identity) {
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null) {
            Cookie session = headers.getCookies().get(ApiTokenAuthenticationMechanism.COOKIE);
            authorization = session == null ? null : "Bearer " + session.getValue();
        }
        return new Caller(authorization, identity.hasRole(Role.OPERATOR_NAME));
    }
}
