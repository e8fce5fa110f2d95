package dev.savepoint.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * A presented {@code sp_...} value. A request type of our own, so that only {@link ApiTokenIdentityProvider} ever
 * sees an API token (OIDC's identity provider takes {@code TokenAuthenticationRequest}) and OIDC never sees ours.
 */
public final class ApiTokenAuthenticationRequest extends BaseAuthenticationRequest {

    private final String token;

    public ApiTokenAuthenticationRequest(String token) {
        this.token = token;
    }

    /** The value as the caller sent it. */
    public String token() {
        return token;
    }

    @Override
    public String toString() {
        return "ApiTokenAuthenticationRequest"; // never the secret
    }
}
