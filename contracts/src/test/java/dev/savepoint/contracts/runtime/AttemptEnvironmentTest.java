package dev.savepoint.contracts.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AttemptEnvironmentTest {

    static final AttemptEnvironment.Endpoints ENDPOINTS = new AttemptEnvironment.Endpoints("kafka:9092",
            "http://checkpoint-service:8082", "http://minio:9000", "checkpoints");

    @Test
    void aLocalProcessGetsEndpointsCredentialsAndDeterminismAsValues() {
        Map<String, String> env = AttemptEnvironment.withCredentials(ENDPOINTS, "ak", "sk").processEnvironment();
        assertEquals(Map.of("SAVEPOINT_KAFKA_BOOTSTRAP", "kafka:9092",
                "SAVEPOINT_CHECKPOINT_URL", "http://checkpoint-service:8082",
                "SAVEPOINT_S3_ENDPOINT", "http://minio:9000", "SAVEPOINT_S3_BUCKET", "checkpoints",
                "SAVEPOINT_S3_ACCESS_KEY", "ak", "SAVEPOINT_S3_SECRET_KEY", "sk",
                "MKL_CBWR", "AVX2,STRICT", "ATEN_CPU_CAPABILITY", "avx2"), env);
    }

    @Test
    void aJobGetsCredentialsOnlyAsSecretReferences() {
        AttemptEnvironment env = AttemptEnvironment.withSecret(ENDPOINTS, "trainer-s3");
        assertFalse(env.values().containsKey("SAVEPOINT_S3_ACCESS_KEY"));
        assertFalse(env.values().containsKey("SAVEPOINT_S3_SECRET_KEY"));
        assertEquals(Map.of("SAVEPOINT_S3_ACCESS_KEY", new AttemptEnvironment.SecretRef("trainer-s3",
                "savepoint-s3-access-key"), "SAVEPOINT_S3_SECRET_KEY", new AttemptEnvironment.SecretRef("trainer-s3",
                "savepoint-s3-secret-key"), "SAVEPOINT_API_TOKEN", new AttemptEnvironment.SecretRef("trainer-s3",
                "savepoint-api-token"), "SAVEPOINT_KAFKA_USER", new AttemptEnvironment.SecretRef("trainer-s3",
                "savepoint-kafka-user", true), "SAVEPOINT_KAFKA_PASSWORD", new AttemptEnvironment.SecretRef(
                "trainer-s3", "savepoint-kafka-password", true)), env.secretRefs());
        assertFalse(env.values().containsKey("SAVEPOINT_API_TOKEN"));
        assertEquals("http://minio:9000", env.values().get("SAVEPOINT_S3_ENDPOINT"));
        assertEquals("checkpoints", env.values().get("SAVEPOINT_S3_BUCKET"));
        assertTrue(env.values().entrySet().containsAll(AttemptEnvironment.DETERMINISM.entrySet()));
    }

    @Test
    void anEnvironmentWithSecretReferencesIsNotALocalProcessEnvironment() {
        var e = assertThrows(IllegalStateException.class,
                () -> AttemptEnvironment.withSecret(ENDPOINTS, "trainer-s3").processEnvironment());
        assertTrue(e.getMessage().contains("SAVEPOINT_S3_ACCESS_KEY"), e.getMessage());
    }

    @Test
    void aMissingEndpointIsRefusedNamingTheVariable() {
        var endpoints = new AttemptEnvironment.Endpoints("kafka:9092", "http://c:8082", " ", "checkpoints");
        var e = assertThrows(IllegalArgumentException.class,
                () -> AttemptEnvironment.withSecret(endpoints, "trainer-s3"));
        assertTrue(e.getMessage().contains("SAVEPOINT_S3_ENDPOINT"), e.getMessage());
    }

    @Test
    void aSupervisedProcessIsToldItsSupervisorAndAJobIsNot() {
        Map<String, String> env = AttemptEnvironment.withCredentials(ENDPOINTS, "ak", "sk")
                .supervisedBy("http://127.0.0.1:8081").processEnvironment();
        assertEquals("http://127.0.0.1:8081", env.get("SAVEPOINT_SUPERVISOR_URL"));
        assertEquals("kafka:9092", env.get("SAVEPOINT_KAFKA_BOOTSTRAP"));
        assertFalse(AttemptEnvironment.withSecret(ENDPOINTS, "trainer-s3").values()
                .containsKey(AttemptEnvironment.SUPERVISOR_URL));
        var e = assertThrows(IllegalArgumentException.class,
                () -> AttemptEnvironment.withCredentials(ENDPOINTS, "ak", "sk").supervisedBy(" "));
        assertTrue(e.getMessage().contains("SAVEPOINT_SUPERVISOR_URL"), e.getMessage());
    }

    @Test
    void aLocalProcessGetsTheAttemptsKafkaUserOnlyWhenOneIsConfigured() {
        var base = AttemptEnvironment.withCredentials(ENDPOINTS, "ak", "sk");
        Map<String, String> env = base.withKafkaUser(java.util.Optional.of("attempt"), java.util.Optional.of("pw"))
                .processEnvironment();
        assertEquals("attempt", env.get("SAVEPOINT_KAFKA_USER"));
        assertEquals("pw", env.get("SAVEPOINT_KAFKA_PASSWORD"));
        assertEquals(base.values(), base.withKafkaUser(java.util.Optional.empty(), java.util.Optional.of("pw"))
                .values());
        var e = assertThrows(IllegalArgumentException.class,
                () -> base.withKafkaUser(java.util.Optional.of("attempt"), java.util.Optional.empty()));
        assertTrue(e.getMessage().contains("attempt"), e.getMessage());
    }
}
