package dev.savepoint.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OidcRolesTest {

    private final OidcRoles builtIn = OidcRoles.of(List.of());

    @Test
    void roleNamesInTheClaimExpandLikeAnApiTokensRole() {
        assertEquals(Set.of("viewer"), builtIn.grants(List.of("viewer")));
        assertEquals(Set.of("viewer", "operator"), builtIn.grants(List.of("operator")));
        assertEquals(Set.of("viewer", "operator"), builtIn.grants(List.of("viewer", "operator", "unrelated")));
    }

    @Test
    void anOidcIdentityNeverGetsTrainer() {
        assertEquals(Set.of(), builtIn.grants(List.of("trainer")));
        assertEquals(Set.of("viewer", "operator", "admin"), builtIn.grants(List.of("admin", "trainer")));
        var e = assertThrows(IllegalArgumentException.class, () -> OidcRoles.of(List.of("robots=trainer")));
        assertTrue(e.getMessage().contains("robots=trainer"), e.getMessage());
    }

    @Test
    void configuredGroupsMapOntoRolesAndUnknownValuesGrantNothing() {
        OidcRoles mapped = OidcRoles.of(List.of("ml-team=operator", " sre = Admin "));
        assertEquals(Set.of("viewer", "operator"), mapped.grants(List.of("ml-team")));
        assertEquals(Set.of("viewer", "operator", "admin"), mapped.grants(List.of("sre")));
        assertEquals(Set.of(), mapped.grants(List.of("ML-TEAM", "everyone")));
        assertEquals(Set.of("viewer"), mapped.grants(List.of("viewer")));
    }

    @Test
    void malformedMapEntriesAreRefusedNamingTheEntry() {
        for (String bad : List.of("ml-team", "=operator", "ml-team=", "ml-team=root")) {
            var e = assertThrows(IllegalArgumentException.class, () -> OidcRoles.of(List.of(bad)), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }
}
