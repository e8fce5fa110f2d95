package dev.savepoint.trainer.command;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A command run's trainer inherits the attempt's environment minus every credential it has no use for. */
class TrainerCredentialsTest {

    @Test
    void theTrainerNeverSeesTheS3NorTheKafkaCredentials() {
        for (String name : new String[] {"SAVEPOINT_S3_SECRET_KEY", "AWS_SECRET_ACCESS_KEY", "SAVEPOINT_KAFKA_USER",
                "SAVEPOINT_KAFKA_PASSWORD"}) {
            assertTrue(TrainerProcess.isCredential(name), name);
        }
        for (String name : new String[] {"SAVEPOINT_KAFKA_BOOTSTRAP", "MKL_CBWR", "PATH"}) {
            assertFalse(TrainerProcess.isCredential(name), name);
        }
    }
}
