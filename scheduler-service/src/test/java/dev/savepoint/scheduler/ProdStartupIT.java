package dev.savepoint.scheduler;

import dev.savepoint.stack.ProdStartup;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Credentials have defaults only in dev and test: the packaged service in prod stops without them, naming each. */
class ProdStartupIT {

    @Test
    void prodStartUpWithoutTheDatabasePasswordAndEventKeyStopsNamingTheirVariables() throws Exception {
        ProdStartup.runPackagedService(Map.of()).assertStoppedNaming("QUARKUS_DATASOURCE_PASSWORD",
                "SAVEPOINT_EVENT_KEY");
    }
}
