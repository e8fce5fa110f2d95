package dev.savepoint.trainer.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.KafkaClientAuth;
import dev.savepoint.stack.SavepointStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** A child attempt is the stack's {@code attempt} Kafka user, never trainer-service's own {@code trainer}. */
@QuarkusTest
@QuarkusTestResource(value = SavepointStackResource.class, restrictToAnnotatedClass = false)
class AttemptKafkaUserTest {

    @Inject
    AttemptLauncher launcher;

    @ConfigProperty(name = "kafka.sasl.jaas.config")
    String ownJaas;

    @Test
    void theAttemptGetsTheAttemptsUserAndNotTheServicesOwn() {
        Map<String, String> env = launcher.environment("ts-kafka-user", 1);
        assertEquals("attempt", env.get(KafkaClientAuth.USER_ENV));
        String attemptJaas = KafkaClientAuth.fromEnvironment(env).get(KafkaClientAuth.SASL_JAAS_CONFIG);
        assertTrue(ownJaas.contains("username=\"trainer\""), "the service itself is the trainer user");
        assertFalse(attemptJaas.equals(ownJaas), "the attempt must not get the service's credentials");
        assertFalse(env.values().stream().anyMatch(v -> ownJaas.contains("password=\"" + v + "\"")),
                "no value of the attempt's environment is the service's own password");
    }
}
