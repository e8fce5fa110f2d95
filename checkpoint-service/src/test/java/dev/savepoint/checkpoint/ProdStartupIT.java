package dev.savepoint.checkpoint;

import dev.savepoint.stack.ProdStartup;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Credentials have defaults only in dev and test: the packaged service in prod stops without them, naming each. */
class ProdStartupIT {

    @Test
    void prodStartUpWithoutCredentialsStopsNamingTheDatabaseAndS3Variables() throws Exception {
        ProdStartup.runPackagedService(Map.of()).assertStoppedNaming("QUARKUS_DATASOURCE_PASSWORD",
                "SAVEPOINT_S3_ACCESS_KEY", "SAVEPOINT_S3_SECRET_KEY", "SAVEPOINT_EVENT_KEY");
    }

    @Test
    void prodStartUpWithTheS3KeysButNoDatabasePasswordNamesJustThePassword() throws Exception {
        ProdStartup.runPackagedService(Map.of("SAVEPOINT_S3_ACCESS_KEY", "checkpoint-service",
                "SAVEPOINT_S3_SECRET_KEY", "s3-secret", "SAVEPOINT_EVENT_KEY", "e".repeat(32)))
                .assertStoppedNaming("QUARKUS_DATASOURCE_PASSWORD");
    }
}
