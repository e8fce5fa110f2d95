package dev.savepoint.scheduler.launch;

import dev.savepoint.scheduler.config.SchedulerConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Picks the launcher named by {@code savepoint.scheduler.launcher}; the Kubernetes client is touched only for it. */
@ApplicationScoped
public class LauncherProducer {

    @Produces
    @ApplicationScoped
    Launcher launcher(SchedulerConfig config, KafkaLauncher kafka, Instance<KubernetesClient> kubernetes,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        return switch (config.launcher()) {
            case "kafka" -> kafka;
            case "kubernetes" -> new KubernetesLauncher(kubernetes.get(), config.kubernetes(), Map.of(
                    "SAVEPOINT_KAFKA_BOOTSTRAP", bootstrap,
                    "SAVEPOINT_CHECKPOINT_URL", config.checkpointServiceUrl()));
            default -> throw new IllegalArgumentException("savepoint.scheduler.launcher must be 'kafka' or "
                    + "'kubernetes', got '" + config.launcher() + "'");
        };
    }
}
