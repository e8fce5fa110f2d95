package dev.savepoint.scheduler.launch;

import dev.savepoint.scheduler.config.SchedulerConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Picks the launcher named by {@code savepoint.scheduler.launcher}; the Kubernetes client is touched only for it.
 * Built at start-up, so a launcher that cannot work (no S3 endpoint for the Jobs) stops the service right away; the
 * kubernetes launcher starts watching its Jobs then.
 */
@ApplicationScoped
public class LauncherProducer {

    @Produces
    @ApplicationScoped
    @Startup
    Launcher launcher(SchedulerConfig config, KafkaLauncher kafka, Instance<KubernetesClient> kubernetes,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
            dev.savepoint.contracts.EventSignatures signatures) {
        return switch (config.launcher()) {
            case "kafka" -> kafka;
            case "kubernetes" -> new KubernetesLauncher(kubernetes.get(), config.kubernetes(),
                    KubernetesLauncher.environment(config.kubernetes(), bootstrap, config.checkpointServiceUrl()),
                    signatures).start();
            default -> throw new IllegalArgumentException("savepoint.scheduler.launcher must be 'kafka' or "
                    + "'kubernetes', got '" + config.launcher() + "'");
        };
    }

    /** Stops the Kubernetes launcher's informers with the service. */
    void close(@Disposes Launcher launcher) {
        if (launcher instanceof KubernetesLauncher kubernetes) {
            kubernetes.close();
        }
    }
}
