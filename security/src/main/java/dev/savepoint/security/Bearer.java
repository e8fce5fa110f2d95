package dev.savepoint.security;

import java.net.http.HttpRequest;
import java.util.Optional;

/** Adds a service's API token to its calls to another service, so every internal call is authenticated too. */
public final class Bearer {

    private Bearer() {
    }

    /** {@code request} with {@code Authorization: Bearer <token>} when a token is configured. */
    public static HttpRequest.Builder authorize(HttpRequest.Builder request, Optional<String> token) {
        token.filter(t -> !t.isBlank()).ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return request;
    }
}
