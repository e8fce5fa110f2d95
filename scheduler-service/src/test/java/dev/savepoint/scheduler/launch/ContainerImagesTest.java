package dev.savepoint.scheduler.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.KafkaClientAuth;
import dev.savepoint.stack.KafkaUsers;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The images, offline (no Docker, no registry here): each service's Jib configuration (a pinned base, a numeric
 * non-root user, off unless asked, the tag the kustomize base pins) and deploy/compose/docker-compose.yml (the stack
 * and the services, every image pinned, each service's environment one its dev-overlay Deployment also sets, Kafka
 * with SASL and the dev overlay's users and ACLs).
 */
class ContainerImagesTest {

    static final List<String> SERVICES = List.of("checkpoint-service", "scheduler-service", "trainer-service");

    private static Properties properties(String service) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(KustomizeManifestsTest.repositoryRoot()
                .resolve(service + "/src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return properties;
    }

    private static String pinnedTag() throws IOException {
        String kustomization = Files.readString(KustomizeManifestsTest.repositoryRoot()
                .resolve("deploy/kubernetes/base/kustomization.yaml"));
        Set<String> tags = kustomization.lines().filter(l -> l.trim().startsWith("newTag:"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).collect(Collectors.toSet());
        assertEquals(1, tags.size(), "one tag for the three services in base/kustomization.yaml: " + tags);
        return tags.iterator().next();
    }

    @Test
    void everyServiceBuildsAJibImageOnlyWhenAskedFromAPinnedBaseAsANonRootUserWithTheDeployedTag()
            throws IOException {
        String tag = pinnedTag();
        for (String service : SERVICES) {
            Properties p = properties(service);
            String pom = Files.readString(KustomizeManifestsTest.repositoryRoot().resolve(service + "/pom.xml"));
            assertTrue(pom.contains("<artifactId>quarkus-container-image-jib</artifactId>"), service + ": Jib");
            assertEquals("false", p.getProperty("quarkus.container-image.build"),
                    service + ": no image build (nor a base image pull) unless -Dquarkus.container-image.build=true");
            KustomizeManifestsTest.checkPinned(service + " Jib base", p.getProperty("quarkus.jib.base-jvm-image"));
            String user = p.getProperty("quarkus.jib.user");
            assertTrue(user != null && user.matches("[1-9][0-9]*"), service + ": numeric non-root user " + user);
            assertEquals("savepoint/" + service + ":" + tag, p.getProperty("quarkus.container-image.group") + "/"
                    + p.getProperty("quarkus.container-image.name") + ":" + p.getProperty("quarkus.container-image.tag"),
                    service + ": the image the kustomize base deploys");
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void theComposeFileRunsTheStackAndTheServicesOnPinnedImagesConfiguredLikeTheDevOverlay() throws Exception {
        Path file = KustomizeManifestsTest.repositoryRoot().resolve("deploy/compose/docker-compose.yml");
        Map<String, Object> compose = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(file));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        assertEquals(new TreeSet<>(List.of("postgres", "kafka", "kafka-setup", "minio", "minio-setup", "checkpoint-service",
                "scheduler-service", "trainer-service")), new TreeSet<>(services.keySet()));
        services.forEach((name, service) -> KustomizeManifestsTest.checkPinned("compose " + name,
                (String) service.get("image")));
        List<Deployment> deployments = KustomizeManifestsTest.render("dev").stream()
                .filter(Deployment.class::isInstance).map(Deployment.class::cast).toList();
        for (String name : SERVICES) {
            Map<String, String> env = (Map<String, String>) services.get(name).get("environment");
            Set<String> deployed = deployments.stream().filter(d -> d.getMetadata().getName().equals(name))
                    .findFirst().orElseThrow().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
                    .stream().map(EnvVar::getName).collect(Collectors.toSet());
            Set<String> unknown = new TreeSet<>(env.keySet());
            unknown.removeAll(deployed);
            assertTrue(unknown.isEmpty(), name + " in compose sets variables its dev-overlay Deployment does not "
                    + "(a misspelt or stale config key?): " + unknown);
            for (String required : List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_PASSWORD",
                    "SAVEPOINT_EVENT_KEY", "KAFKA_BOOTSTRAP_SERVERS")) {
                assertTrue(env.containsKey(required), name + " needs " + required + " in the prod profile");
            }
            assertEquals("0.0.0.0", env.get("QUARKUS_HTTP_HOST"), name + " listens beyond its container");
        }
        assertEquals(pinnedTag(), ((String) services.get("scheduler-service").get("image")).replaceAll(".*:", ""));
        assertEquals("kafka", ((Map<String, String>) services.get("scheduler-service").get("environment"))
                .get("SAVEPOINT_SCHEDULER_LAUNCHER"), "no cluster: the kafka launcher");
    }

    @SuppressWarnings("unchecked")
    @Test
    void theComposeKafkaIsSecuredLikeTheDevOverlaysWithEveryServiceAndAttemptAsItsOwnUser() throws Exception {
        Path file = KustomizeManifestsTest.repositoryRoot().resolve("deploy/compose/docker-compose.yml");
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) ((Map<String, Object>)
                new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file))).get("services");
        Map<String, String> kafka = (Map<String, String>) services.get("kafka").get("environment");
        KafkaSaslManifestsTest.checkSaslBroker("compose kafka", KafkaSaslManifestsTest.brokerProperties(kafka));

        Map<String, Object> setup = services.get("kafka-setup");
        Map<String, String> setupEnv = (Map<String, String>) setup.get("environment");
        String dev = "../kubernetes/overlays/dev/";
        assertEquals(List.of(dev + "kafka-setup.sh:/etc/kafka-setup/kafka-setup.sh:ro",
                dev + "kafka-acls.txt:/etc/kafka-setup/kafka-acls.txt:ro"), setup.get("volumes"),
                "the dev overlay's script and ACLs (KafkaSaslManifestsTest checks them against local-stack's)");
        for (String name : SERVICES) {
            Map<String, String> env = (Map<String, String>) services.get(name).get("environment");
            String user = KafkaUsers.OF_SERVICE.get(name);
            assertEquals("SASL_PLAINTEXT", env.get("KAFKA_SECURITY_PROTOCOL"), name);
            assertEquals(KafkaClientAuth.SCRAM, env.get("KAFKA_SASL_MECHANISM"), name);
            String jaas = env.get("KAFKA_SASL_JAAS_CONFIG");
            assertTrue(jaas != null && jaas.contains("username=\"" + user + "\"")
                    && jaas.matches(".*password=\"\\$\\{[A-Z_]+:\\?[^}]*}\".*"),
                    name + " connects as " + user + " with a password from the environment: " + jaas);
            assertEquals(jaas, setupEnv.get("KAFKA_JAAS_" + user.toUpperCase()), "kafka-setup creates " + user
                    + " with the password " + name + " connects with");
            assertTrue(((Map<String, Object>) services.get(name).get("depends_on")).containsKey("kafka-setup"),
                    name + " starts once its user and ACLs exist");
        }
        Map<String, String> trainer = (Map<String, String>) services.get("trainer-service").get("environment");
        assertEquals(KafkaUsers.ATTEMPT, trainer.get("SAVEPOINT_RUNNER_KAFKA_USER"), "its attempts' user");
        assertEquals(KafkaUsers.ATTEMPT, setupEnv.get("ATTEMPT_USER"));
        assertEquals(setupEnv.get("ATTEMPT_PASSWORD"), trainer.get("SAVEPOINT_RUNNER_KAFKA_PASSWORD"));
        assertTrue(setupEnv.get("ADMIN_PASSWORD").startsWith("${"), "admin's password from the environment");
    }
}
