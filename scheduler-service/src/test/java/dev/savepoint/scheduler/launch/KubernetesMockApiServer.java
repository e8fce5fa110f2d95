package dev.savepoint.scheduler.launch;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Quarkus test resource: fabric8's mock API server in CRUD mode (no cluster can run here), the scheduler's Kubernetes
 * client pointed at it (the extension's {@code quarkus.kubernetes-client.*}) and the kubernetes launcher chosen; the
 * test drives Job and pod status through {@link #cluster()}. Plain HTTP: the TLS of a real API server tests nothing
 * of Savepoint's.
 */
public class KubernetesMockApiServer implements QuarkusTestResourceLifecycleManager {

    public static final String NAMESPACE = "savepoint";

    private static volatile MockCluster cluster;
    private KubernetesMockServer server;

    @Override
    public Map<String, String> start() {
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        cluster = new MockCluster(server.createClient(), NAMESPACE);
        return Map.of("quarkus.kubernetes-client.api-server-url", server.url("/"),
                "quarkus.kubernetes-client.namespace", NAMESPACE,
                "quarkus.kubernetes-client.trust-certs", "true",
                "savepoint.scheduler.launcher", "kubernetes",
                "savepoint.scheduler.kubernetes.namespace", NAMESPACE,
                "savepoint.scheduler.kubernetes.s3-endpoint", "http://minio.savepoint.svc:9000",
                // the mock server logs every request it answers
                "quarkus.log.category.\"io.fabric8.mockwebserver\".level", "WARN");
    }

    /** The mock cluster of the running test. */
    public static MockCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("the mock API server is not started: add KubernetesMockApiServer to the "
                    + "test profile's test resources");
        }
        return cluster;
    }

    @Override
    public void stop() {
        cluster.client.close();
        cluster = null;
        server.destroy();
    }
}
