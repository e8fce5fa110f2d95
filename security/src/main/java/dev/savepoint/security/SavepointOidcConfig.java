package dev.savepoint.security;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/** Savepoint's own OIDC settings; the rest is Quarkus's {@code quarkus.oidc.*} (docs/architecture.md). */
@ConfigMapping(prefix = "savepoint.oidc")
public interface SavepointOidcConfig {

    /**
     * Role-claim values of the identity provider mapped onto roles, {@code group=role} entries separated by commas
     * (env {@code SAVEPOINT_OIDC_ROLE_MAP}, e.g. {@code ml-team=operator,sre=admin}); {@code viewer}, {@code operator}
     * and {@code admin} always map to themselves.
     */
    Optional<List<String>> roleMap();
}
