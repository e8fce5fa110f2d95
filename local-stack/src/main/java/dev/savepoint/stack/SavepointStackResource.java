package dev.savepoint.stack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.Map;
import java.util.Properties;

/**
 * Quarkus test resource of every service: points the service at the shared real local stack (see {@link TestStack})
 * as its own Kafka user (the service is named by {@code quarkus.application.name} in its application.properties)
 * and gives the test's REST calls an admin API token by default.
 */
public class SavepointStackResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = TestStack.shared().serviceConfig(serviceName());
        // Every REST call of a test sends an admin token unless it says otherwise (auth().none(), auth().oauth2(t)).
        io.restassured.RestAssured.authentication = io.restassured.RestAssured.oauth2(
                TestStack.token(dev.savepoint.security.Role.ADMIN));
        return config;
    }

    /** The service under test: the {@code quarkus.application.name} of an application.properties that names one. */
    static String serviceName() {
        try {
            Enumeration<URL> files = Thread.currentThread().getContextClassLoader()
                    .getResources("application.properties");
            while (files.hasMoreElements()) {
                Properties p = new Properties();
                try (InputStream in = files.nextElement().openStream()) {
                    p.load(in);
                }
                String name = p.getProperty("quarkus.application.name");
                if (name != null && KafkaUsers.OF_SERVICE.containsKey(name.trim())) {
                    return name.trim();
                }
            }
        } catch (IOException e) {
            throw new StackException("cannot read application.properties to tell which service is tested: "
                    + e.getMessage(), e);
        }
        throw new StackException("no application.properties on the test class path names a service "
                + KafkaUsers.OF_SERVICE.keySet() + " in quarkus.application.name, so the test cannot get its Kafka "
                + "user");
    }

    @Override
    public void stop() {
        // The stack outlives this test class: the watchdog stops it when the build ends.
    }
}
