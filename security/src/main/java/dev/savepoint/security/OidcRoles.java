package dev.savepoint.security;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps the values of an OIDC token's role claim onto Savepoint's roles: {@code viewer}, {@code operator} and
 * {@code admin} name themselves, and a configured map ({@code savepoint.oidc.role-map}, entries like
 * {@code ml-team=operator}) names the identity provider's own groups. Each role expands as an API token's does
 * ({@link Role#grants()}), except that a person from the identity provider never gets {@code trainer}: that is the
 * identity of attempts and services, which only API tokens carry. Values that map to nothing grant nothing.
 */
public final class OidcRoles {

    private static final List<Role> PERSON_ROLES = List.of(Role.VIEWER, Role.OPERATOR, Role.ADMIN);

    private final Map<String, Role> byClaimValue;

    private OidcRoles(Map<String, Role> byClaimValue) {
        this.byClaimValue = Map.copyOf(byClaimValue);
    }

    /**
     * The mapping with the configured entries ({@code group=role}) on top of the built-in names.
     *
     * @throws IllegalArgumentException naming the entry when it is not {@code group=role} or names no person role
     */
    public static OidcRoles of(Collection<String> entries) {
        Map<String, Role> map = new LinkedHashMap<>();
        PERSON_ROLES.forEach(r -> map.put(r.id(), r));
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            String group = eq < 0 ? "" : entry.substring(0, eq).trim();
            String role = eq < 0 ? "" : entry.substring(eq + 1).trim().toLowerCase(Locale.ROOT);
            if (group.isEmpty() || role.isEmpty()) {
                throw new IllegalArgumentException("savepoint.oidc.role-map: entry '" + entry
                        + "' is not of the form group=role (e.g. ml-team=operator)");
            }
            Role mapped = PERSON_ROLES.stream().filter(r -> r.id().equals(role)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("savepoint.oidc.role-map: entry '" + entry
                            + "' maps to '" + role + "'; an OIDC identity may be viewer, operator or admin only"));
            map.put(group, mapped);
        }
        return new OidcRoles(map);
    }

    /** The Quarkus roles of a caller whose role claim holds {@code claimValues}; never {@code trainer}. */
    public Set<String> grants(Collection<String> claimValues) {
        Set<String> grants = new TreeSet<>();
        for (String value : claimValues) {
            Role role = byClaimValue.get(value);
            if (role != null) {
                grants.addAll(role.grants());
            }
        }
        grants.remove(Role.TRAINER_NAME);
        return grants;
    }
}
