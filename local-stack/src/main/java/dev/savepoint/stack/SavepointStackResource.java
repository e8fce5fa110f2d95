package dev.savepoint.stack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus test resource of every service: points the service at the shared real local stack (see {@link TestStack})
 * and gives the test's REST calls an admin API token by default.
 */
public class SavepointStackResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = TestStack.shared().serviceConfig();
        // Every REST call of a test sends an admin token unless it says otherwise (auth().none(), auth().oauth2(t)).
        io.restassured.RestAssured.authentication = io.restassured.RestAssured.oauth2(
                TestStack.token(dev.savepoint.security.Role.ADMIN));
        return config;
    }

    @Override
    public void stop() {
        // The stack outlives this test class: the watchdog stops it when the build ends.
    }
}
