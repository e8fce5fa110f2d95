package dev.savepoint.security;

import io.quarkus.runtime.Startup;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Gives an OIDC caller Savepoint's roles: the roles Quarkus OIDC read from the configured claim
 * ({@code quarkus.oidc.roles.role-claim-path}) are replaced by what {@link OidcRoles} maps them to. Every identity
 * that is not an API token's is treated so, whatever provider made it, so no foreign identity can hold
 * {@code trainer} or a raw group name as a role. At start it refuses an enabled OIDC tenant that would not check the
 * audience or (with a fixed public key) the issuer, and warns when an issuer is set while OIDC is off.
 */
@Startup
@ApplicationScoped
public class OidcRoleAugmentor implements SecurityIdentityAugmentor {

    private static final Logger LOG = Logger.getLogger(OidcRoleAugmentor.class);

    private final OidcRoles roles;

    public OidcRoleAugmentor(SavepointOidcConfig settings, Config config) {
        this.roles = OidcRoles.of(settings.roleMap().orElse(List.of()));
        check(config);
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || identity.getAttribute(ApiTokenIdentityProvider.TOKEN_ID_ATTRIBUTE) != null) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addRoles(roles.grants(identity.getRoles()))
                .build());
    }

    private static void check(Config config) {
        boolean enabled = config.getOptionalValue("quarkus.oidc.tenant-enabled", Boolean.class).orElse(true);
        Optional<String> issuer = config.getOptionalValue("quarkus.oidc.auth-server-url", String.class);
        boolean publicKey = config.getOptionalValue("quarkus.oidc.public-key", String.class).isPresent();
        if (!enabled) {
            if (issuer.isPresent() || publicKey) {
                LOG.warn("an OIDC issuer is configured but OIDC is off, so only API tokens are accepted:"
                        + " set SAVEPOINT_OIDC_ENABLED=true to accept the issuer's bearer tokens");
            }
            return;
        }
        Optional<String> audience = config.getOptionalValue("quarkus.oidc.token.audience", String.class);
        if (audience.isEmpty()) {
            throw new IllegalStateException("OIDC is enabled but no audience is set, so tokens issued for other"
                    + " clients would be accepted: set SAVEPOINT_OIDC_AUDIENCE (quarkus.oidc.token.audience) to the"
                    + " value the identity provider puts in the aud claim of tokens for Savepoint");
        }
        if (issuer.isEmpty() && publicKey
                && config.getOptionalValue("quarkus.oidc.token.issuer", String.class).isEmpty()) {
            throw new IllegalStateException("OIDC verifies tokens with quarkus.oidc.public-key but no issuer is set:"
                    + " set QUARKUS_OIDC_TOKEN_ISSUER to the iss claim of the identity provider's tokens");
        }
        LOG.infof("OIDC bearer tokens accepted beside API tokens: issuer %s, audience %s, roles from claim %s",
                issuer.orElse("(public key)"), audience.get(),
                config.getOptionalValue("quarkus.oidc.roles.role-claim-path", String.class).orElse("groups"));
    }
}
