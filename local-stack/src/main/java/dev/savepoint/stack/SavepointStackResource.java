package dev.savepoint.stack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Quarkus test resource of every service: points the service at the shared real local stack (see {@link TestStack}). */
public class SavepointStackResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return TestStack.shared().serviceConfig();
    }

    @Override
    public void stop() {
        // The stack outlives this test class: the watchdog stops it when the build ends.
    }
}
