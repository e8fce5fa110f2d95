package dev.savepoint.stack;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A Quarkus test profile that points a service at a {@link PrivatePostgres} of the test's own, named by the subclass. */
public abstract class PrivatePostgresProfile implements QuarkusTestProfile {

    private final String name;

    protected PrivatePostgresProfile(String name) {
        this.name = name;
    }

    /** The server, started on first use. */
    public PrivatePostgres database() {
        return PrivatePostgres.started(name);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = database().datasourceConfig();
        StackTokens.admitTestTokens(config.get("quarkus.datasource.jdbc.url"));
        return config;
    }
}
