package dev.savepoint.scheduler.launch;

import static dev.savepoint.scheduler.launch.KustomizeManifestsTest.all;
import static dev.savepoint.scheduler.launch.KustomizeManifestsTest.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.KafkaClientAuth;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.runtime.AttemptEnvironment;
import dev.savepoint.stack.KafkaUsers;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.SecurityUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dev overlay's Kafka is secured like the local stack's (local-stack KafkaNode and KafkaUsers): SASL listeners
 * only, the StandardAuthorizer denying what no ACL allows, the ACLs of {@link KafkaUsers#acls()}, and every client
 * (each service, each attempt Job) connecting with its own user and password from a Secret.
 */
class KafkaSaslManifestsTest {

    /** The attempts' Secret (SchedulerConfig's default s3-secret, which the dev overlay keeps). */
    static final String ATTEMPT_SECRET = "savepoint-trainer-s3";

    private static List<HasMetadata> dev;

    @BeforeAll
    static void render() throws Exception {
        dev = KustomizeManifestsTest.render("dev");
    }

    @Test
    void devBrokerHasOnlySaslListenersAndTheStandardAuthorizerDenyingWithoutAnAcl() {
        Container kafka = one(dev, StatefulSet.class, "kafka").getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> env = new LinkedHashMap<>();
        kafka.getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> env.put(e.getName(), e.getValue()));
        checkSaslBroker("dev overlay kafka", brokerProperties(env));
        SecretKeySelector admin = secretRef(kafka, "ADMIN_PASSWORD");
        assertEquals("savepoint/kafka-admin-password", admin.getName() + "/" + admin.getKey());
        assertEquals(admin.getKey(), secretRef(setupJob(), "ADMIN_PASSWORD").getKey(),
                "kafka-setup connects as the admin the broker knows");
    }

    @Test
    void everyServiceDeploymentConnectsAsItsOwnScramUserFromTheSavepointSecret() {
        ConfigMap endpoints = one(dev, ConfigMap.class, "savepoint-endpoints");
        assertEquals("SASL_PLAINTEXT", endpoints.getData().get("kafka-security-protocol"));
        assertEquals(KafkaClientAuth.SCRAM, endpoints.getData().get("kafka-sasl-mechanism"));
        Container setup = setupJob();
        List<Deployment> services = all(dev, Deployment.class);
        assertEquals(KafkaUsers.OF_SERVICE.keySet(), services.stream().map(d -> d.getMetadata().getName())
                .collect(Collectors.toSet()), "a Kafka user for every service Deployment");
        for (Deployment deployment : services) {
            String service = deployment.getMetadata().getName();
            String user = KafkaUsers.OF_SERVICE.get(service);
            Container c = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            for (String name : List.of("KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM")) {
                EnvVar var = env(c, name);
                assertEquals("savepoint-endpoints", var.getValueFrom().getConfigMapKeyRef().getName(), service);
            }
            SecretKeySelector jaas = secretRef(c, "KAFKA_SASL_JAAS_CONFIG");
            assertEquals("savepoint/kafka-jaas-" + user, jaas.getName() + "/" + jaas.getKey(), service);
            assertFalse(Boolean.TRUE.equals(jaas.getOptional()), service + ": its JAAS line is required on SASL");
            SecretKeySelector created = secretRef(setup, "KAFKA_JAAS_" + user.toUpperCase());
            assertEquals(jaas.getName() + "/" + jaas.getKey(), created.getName() + "/" + created.getKey(),
                    "kafka-setup creates " + user + " from the line " + service + " connects with");
        }
        Container trainer = one(dev, Deployment.class, "trainer-service").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        assertEquals(ATTEMPT_SECRET + "/savepoint-kafka-user", ref(secretRef(trainer, "SAVEPOINT_RUNNER_KAFKA_USER")),
                "trainer-service's child attempts get the attempts' user, never its own");
        assertEquals(ATTEMPT_SECRET + "/savepoint-kafka-password",
                ref(secretRef(trainer, "SAVEPOINT_RUNNER_KAFKA_PASSWORD")));
    }

    @Test
    void everyAttemptJobConnectsAsTheAttemptUserKafkaSetupCreates() {
        Container setup = setupJob();
        assertEquals(ATTEMPT_SECRET + "/" + AttemptEnvironment.secretKeyOf(AttemptEnvironment.KAFKA_USER),
                ref(secretRef(setup, "ATTEMPT_USER")));
        assertEquals(ATTEMPT_SECRET + "/" + AttemptEnvironment.secretKeyOf(AttemptEnvironment.KAFKA_PASSWORD),
                ref(secretRef(setup, "ATTEMPT_PASSWORD")));
        Container scheduler = one(dev, Deployment.class, "scheduler-service").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        assertTrue(scheduler.getEnv().stream().noneMatch(e -> e.getName().equals(
                "SAVEPOINT_SCHEDULER_KUBERNETES_S3_SECRET")), "the attempts' Secret stays " + ATTEMPT_SECRET);

        ConfigMap templates = all(dev, ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().startsWith("savepoint-attempt-job-")).findFirst().orElseThrow();
        JobTemplate jobs = JobTemplate.parse(templates.getData().get("attempt-job.yaml"), "savepoint-attempt-job");
        Map<String, Object> values = KustomizeManifestsTest.sampleValues("savepoint/trainer:0.1.0");
        values.put("attemptEnv", KubernetesLauncher.envVars(AttemptEnvironment.withSecret(
                new AttemptEnvironment.Endpoints("kafka:9092", "http://checkpoint-service:8082", "http://minio:9000",
                        "savepoint"), ATTEMPT_SECRET)));
        for (String type : List.of(JobTemplate.BUILT_IN, JobTemplate.COMMAND)) {
            PodSpec pod = jobs.render(type, values).getSpec().getTemplate().getSpec();
            List<Container> runners = new ArrayList<>(pod.getContainers());
            if (pod.getInitContainers() != null) {
                runners.addAll(pod.getInitContainers());
            }
            runners.removeIf(c -> c.getName().equals(AttemptJob.TRAINER)); // the user's code gets no credential
            assertFalse(runners.isEmpty(), type);
            for (Container c : runners) {
                String what = "the " + type + " attempt Job's " + c.getName();
                assertEquals(ref(secretRef(setup, "ATTEMPT_USER")), ref(secretRef(c, KafkaClientAuth.USER_ENV)), what);
                assertEquals(ref(secretRef(setup, "ATTEMPT_PASSWORD")), ref(secretRef(c, KafkaClientAuth.PASSWORD_ENV)),
                        what);
            }
        }
    }

    @Test
    void kafkaSetupCreatesEveryTopicAndExactlyTheLocalStacksAcls() {
        ConfigMap setup = all(dev, ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().startsWith("kafka-setup-")).findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap kafka-setup-<hash>"));
        PodSpec pod = one(dev, Job.class, "kafka-setup").getSpec().getTemplate().getSpec();
        assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getConfigMap() != null
                && setup.getMetadata().getName().equals(v.getConfigMap().getName())), "the Job mounts its script");
        assertTrue(setup.getData().get("kafka-setup.sh").contains("kafka-acls"), "the script adds the ACLs");
        String acls = setup.getData().get("kafka-acls.txt");
        assertEquals(expectedAcls(), acls(acls), "kafka-acls.txt against local-stack KafkaUsers.acls()");
        assertEquals(new TreeSet<>(Arrays.asList(Topics.all())), topicsNamed(acls),
                "kafka-setup creates every topic an ACL names: all of contracts' Topics");
    }

    /** local-stack's ACLs, one line per (principal, resource, operation). */
    static Set<String> expectedAcls() {
        return KafkaUsers.acls().stream().map(b -> line(b.entry().principal(), b.pattern().resourceType(),
                b.pattern().patternType(), b.pattern().name(), b.entry().operation())).collect(
                        Collectors.toCollection(TreeSet::new));
    }

    /** The ACL file's lines (user, resource type, pattern type, name, operations) the same way. */
    static Set<String> acls(String file) {
        Set<String> acls = new TreeSet<>();
        for (String[] rule : rules(file)) {
            assertEquals(5, rule.length, "an ACL line has five fields: " + String.join(" ", rule));
            for (String op : rule[4].split(",")) {
                AclOperation operation = SecurityUtils.operation(op);
                assertNotNull(operation, op);
                acls.add(line("User:" + rule[0], SecurityUtils.resourceType(capitalized(rule[1])),
                        PatternType.valueOf(rule[2].toUpperCase(java.util.Locale.ROOT)), rule[3], operation));
            }
        }
        return acls;
    }

    static Set<String> topicsNamed(String file) {
        return rules(file).stream().filter(r -> r[1].equals("topic")).map(r -> r[3])
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String[]> rules(String file) {
        return file.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(l -> l.split("\\s+")).toList();
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String line(String principal, ResourceType type, PatternType pattern, String name,
            AclOperation operation) {
        return principal + " " + type + " " + pattern + " " + name + " " + operation;
    }

    /**
     * The broker's server.properties as the apache/kafka image renders it from the KAFKA_* variables: the prefix
     * dropped, lower case, {@code ___} is {@code -}, {@code __} is {@code _}, {@code _} is {@code .}; KAFKA_OPTS and
     * the JVM's settings are no properties.
     */
    static Map<String, String> brokerProperties(Map<String, String> env) {
        Map<String, String> properties = new LinkedHashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("KAFKA_") && !name.endsWith("_OPTS")) {
                String key = name.substring("KAFKA_".length()).toLowerCase().replace("___", "\u0001")
                        .replace("__", "\u0002").replace('_', '.').replace('\u0001', '-').replace('\u0002', '_');
                properties.put(key, value);
            }
        });
        return properties;
    }

    /**
     * The local stack's broker security: every listener SASL (clients SCRAM-SHA-256, the controller and inter-broker
     * traffic PLAIN as admin), admin the only super user, the StandardAuthorizer allowing nothing without an ACL.
     */
    static void checkSaslBroker(String what, Map<String, String> p) {
        Map<String, String> protocols = new LinkedHashMap<>();
        for (String entry : p.getOrDefault("listener.security.protocol.map", "").split(",")) {
            protocols.put(entry.substring(0, entry.indexOf(':')), entry.substring(entry.indexOf(':') + 1));
        }
        for (String key : List.of("listeners", "advertised.listeners")) {
            for (String listener : p.get(key).split(",")) {
                String name = listener.substring(0, listener.indexOf("://"));
                String protocol = protocols.getOrDefault(name, name);
                assertTrue(protocol.startsWith("SASL_"), what + ": " + key + " " + listener + " is " + protocol);
            }
        }
        Set<String> mechanisms = Set.of(p.get("sasl.enabled.mechanisms").split(","));
        assertTrue(mechanisms.contains(KafkaClientAuth.SCRAM), what + ": clients' SCRAM-SHA-256");
        assertEquals(KafkaClientAuth.PLAIN, p.get("sasl.mechanism.controller.protocol"), what);
        assertEquals(KafkaClientAuth.PLAIN, p.get("sasl.mechanism.inter.broker.protocol"), what);
        assertEquals("PLAIN", p.get("listener.name.controller.sasl.enabled.mechanisms"), what);
        String controllerJaas = p.get("listener.name.controller.plain.sasl.jaas.config");
        assertTrue(controllerJaas != null && controllerJaas.contains("username=\"admin\"")
                && controllerJaas.contains("user_admin="), what + ": the controller knows admin by PLAIN");
        assertEquals(controllerJaas, p.get("listener.name.sasl_plaintext.plain.sasl.jaas.config"), what);
        assertEquals("org.apache.kafka.metadata.authorizer.StandardAuthorizer", p.get("authorizer.class.name"), what);
        assertEquals("false", p.get("allow.everyone.if.no.acl.found"), what);
        assertEquals("User:" + KafkaUsers.ADMIN, p.get("super.users"), what);
    }

    private static Container setupJob() {
        return one(dev, Job.class, "kafka-setup").getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " has no " + name));
    }

    private static SecretKeySelector secretRef(Container c, String name) {
        EnvVar var = env(c, name);
        assertTrue(var.getValue() == null && var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null,
                c.getName() + ": " + name + " is not from a Secret");
        return var.getValueFrom().getSecretKeyRef();
    }

    private static String ref(SecretKeySelector ref) {
        return ref.getName() + "/" + ref.getKey();
    }
}
