package dev.savepoint.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientAuthTest {

    @Test
    void aUserBecomesScramOverSaslPlaintext() {
        Map<String, String> p = KafkaClientAuth.scram("attempt", "s3cr\"t");
        assertEquals("SASL_PLAINTEXT", p.get("security.protocol"));
        assertEquals("SCRAM-SHA-256", p.get("sasl.mechanism"));
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"attempt\" "
                + "password=\"s3cr\\\"t\";", p.get("sasl.jaas.config"));
    }

    @Test
    void noUserMeansNoSaslAtAll() {
        assertEquals(Map.of(), KafkaClientAuth.fromEnvironment(Map.of()));
        assertEquals(Map.of(), KafkaClientAuth.fromEnvironment(Map.of("SAVEPOINT_KAFKA_USER", " ",
                "SAVEPOINT_KAFKA_PASSWORD", "x")));
    }

    @Test
    void theEnvironmentNamesUserAndPassword() {
        Map<String, String> p = KafkaClientAuth.fromEnvironment(Map.of("SAVEPOINT_KAFKA_USER", "trainer",
                "SAVEPOINT_KAFKA_PASSWORD", "pw"));
        assertTrue(p.get("sasl.jaas.config").contains("username=\"trainer\" password=\"pw\""));
        assertEquals(Map.of("kafka.security.protocol", "SASL_PLAINTEXT", "kafka.sasl.mechanism", "SCRAM-SHA-256",
                "kafka.sasl.jaas.config", p.get("sasl.jaas.config")), KafkaClientAuth.quarkusProperties(p));
    }

    @Test
    void aUserWithoutPasswordIsRefusedNamingTheVariable() {
        var e = assertThrows(IllegalArgumentException.class, () -> KafkaClientAuth.fromEnvironment(
                Map.of("SAVEPOINT_KAFKA_USER", "attempt")));
        assertTrue(e.getMessage().contains("SAVEPOINT_KAFKA_PASSWORD"), e.getMessage());
    }
}
