package dev.savepoint.trainer.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.savepoint.contracts.runtime.AttemptEnvironment;
import org.junit.jupiter.api.Test;

/** The pom's surefire copy of the determinism settings (a pom cannot read a Java constant) matches the definition. */
class DeterminismSettingsTest {

    @Test
    void theTestJvmRunsUnderTheDeterminismSettingsOfAttemptEnvironment() {
        AttemptEnvironment.DETERMINISM.forEach((name, value) -> assertEquals(value, System.getenv(name),
                name + " of the test JVM (trainer-runner/pom.xml, surefire environmentVariables)"));
    }
}
