package dev.savepoint.trainer;

import dev.savepoint.stack.ProdStartup;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Credentials have defaults only in dev and test: the packaged service in prod stops without them, naming each. */
class ProdStartupIT {

    @Test
    void prodStartUpWithoutTheS3CredentialsStopsNamingTheirVariables() throws Exception {
        ProdStartup.runPackagedService(Map.of("QUARKUS_DATASOURCE_PASSWORD", "x"))
                .assertStoppedNaming("SAVEPOINT_S3_ACCESS_KEY", "SAVEPOINT_S3_SECRET_KEY", "SAVEPOINT_EVENT_KEY");
    }

    @Test
    void prodStartUpMissingOneCredentialNamesJustThatOne() throws Exception {
        ProdStartup.runPackagedService(Map.of("SAVEPOINT_S3_ACCESS_KEY", "trainer", "SAVEPOINT_EVENT_KEY",
                "e".repeat(32), "QUARKUS_DATASOURCE_PASSWORD", "x")).assertStoppedNaming("SAVEPOINT_S3_SECRET_KEY");
    }
}
