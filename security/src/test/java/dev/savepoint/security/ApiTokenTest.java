package dev.savepoint.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiTokenTest {

    @Test
    void aGeneratedTokenParsesBackAndMatchesOnlyItsOwnHash() {
        ApiToken token = ApiToken.generate();
        assertTrue(token.value().matches("sp_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}"), token.value());
        ApiToken parsed = ApiToken.parse(token.value()).orElseThrow();
        assertEquals(token, parsed);
        assertTrue(parsed.matches(token.secretHash()));
        ApiToken other = ApiToken.generate();
        assertNotEquals(token.id(), other.id());
        assertFalse(other.matches(token.secretHash()));
        assertFalse(token.toString().contains(token.secret()), "toString never shows the secret");
    }

    @Test
    void malformedTokensAreNotParsed() {
        for (String bad : new String[] {null, "", "sp_", "sp_short_secret", "Bearer x",
                "sp_abcdefghijkl_" + "A".repeat(42), "sp_abcdefghijkl_" + "A".repeat(44),
                "sp_abc/efghijkl_" + "A".repeat(43), "sp_abcdefghijkl_" + "A".repeat(42) + "\0"}) {
            assertTrue(ApiToken.parse(bad).isEmpty(), String.valueOf(bad));
        }
    }

    @Test
    void rolesFormALadderWithTrainerApart() {
        assertEquals(Set.of("viewer"), Role.VIEWER.grants());
        assertEquals(Set.of("viewer", "operator"), Role.OPERATOR.grants());
        assertEquals(Set.of("viewer", "operator", "admin", "trainer"), Role.ADMIN.grants());
        assertEquals(Set.of("trainer"), Role.TRAINER.grants());
        assertEquals(Role.OPERATOR, Role.parse("operator"));
        assertThrows(IllegalArgumentException.class, () -> Role.parse("root"));
    }
}
