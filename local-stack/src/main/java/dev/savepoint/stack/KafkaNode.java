package dev.savepoint.stack;

import dev.savepoint.contracts.KafkaClientAuth;
import dev.savepoint.contracts.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * One Apache Kafka node in KRaft mode (broker and controller), run from the Maven jars; storage formatted once. Every
 * listener authenticates (SASL: SCRAM-SHA-256 for clients, PLAIN for the node's own {@code admin} between broker and
 * controller) and the StandardAuthorizer allows only what {@link KafkaUsers} grants.
 */
final class KafkaNode implements StackPart {

    static final int PARTITIONS = 3;

    private final StackSettings settings;
    private final ManagedProcess process;
    private final Path dir;
    private final KafkaUsers users;

    KafkaNode(StackSettings settings) {
        this.settings = settings;
        this.process = new ManagedProcess("kafka", settings);
        this.dir = settings.root().resolve("kafka");
        this.users = new KafkaUsers(dir);
    }

    KafkaUsers users() {
        return users;
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public String address() {
        return settings.kafkaBootstrap();
    }

    @Override
    public List<Integer> ports() {
        return List.of(settings.kafkaPort(), settings.kafkaControllerPort());
    }

    @Override
    public boolean isUp() {
        return Ports.listening(settings.host(), settings.kafkaPort());
    }

    @Override
    public boolean isManaged() {
        return process.running().isPresent();
    }

    @Override
    public void start() {
        Path config = writeConfig();
        format(config);
        process.start(List.of(Classpaths.javaExecutable(), "-Xms128m", "-Xmx768m", "-XX:+UseSerialGC",
                "-Djava.awt.headless=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", Classpaths.read("runtime.classpath"), "kafka.Kafka", config.toString()), dir, Map.of());
        // Three minutes: on two cores shared with other builds a broker has taken more than one to open its port.
        if (!Ports.await(Duration.ofMinutes(3), () -> process.running().isPresent() && isUp())) {
            throw new StackException("Kafka did not start on " + address() + " within 3 minutes; last log lines:\n"
                    + process.logTail(20));
        }
        createTopicsAndUsers();
    }

    @Override
    public boolean stop() {
        return process.stop("TERM", Duration.ofSeconds(20));
    }

    /**
     * SIGKILLs the broker, as a crash or an OOM kill would: no clean shutdown, its log dir stays as it was, and
     * {@link #start()} brings it back on the same ports with the same cluster id and data. Returns whether a
     * broker this stack started was running.
     */
    boolean kill() {
        return process.stop("KILL", Duration.ofSeconds(20));
    }

    private Path writeConfig() {
        String host = settings.host();
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@" + host + ":" + settings.kafkaControllerPort());
        p.setProperty("listeners", "SASL_PLAINTEXT://" + host + ":" + settings.kafkaPort() + ",CONTROLLER://" + host
                + ":" + settings.kafkaControllerPort());
        p.setProperty("advertised.listeners", "SASL_PLAINTEXT://" + host + ":" + settings.kafkaPort());
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "SASL_PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        // Clients: SCRAM users (created through the Admin API on every start); admin also by a static PLAIN entry,
        // which broker and controller use between themselves and which works before any SCRAM user exists.
        String admin = users.password(KafkaUsers.ADMIN);
        String plain = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" "
                + "password=\"" + admin + "\" user_admin=\"" + admin + "\";";
        p.setProperty("sasl.enabled.mechanisms", "SCRAM-SHA-256,PLAIN");
        p.setProperty("sasl.mechanism.inter.broker.protocol", "PLAIN");
        p.setProperty("sasl.mechanism.controller.protocol", "PLAIN");
        p.setProperty("listener.name.sasl_plaintext.plain.sasl.jaas.config", plain);
        p.setProperty("listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.setProperty("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        p.setProperty("listener.name.controller.plain.sasl.jaas.config", plain);
        p.setProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.setProperty("super.users", "User:" + KafkaUsers.ADMIN);
        p.setProperty("allow.everyone.if.no.acl.found", "false");
        p.setProperty("log.dirs", dir.resolve("data").toString());
        p.setProperty("num.partitions", Integer.toString(PARTITIONS));
        // One node: every internal topic has a single replica.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "3");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "true");
        return Classpaths.writeProperties(dir.resolve("server.properties"), p);
    }

    /** Formats the storage on first start only; a formatted log dir keeps its cluster id and data. */
    private void format(Path config) {
        if (Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            return;
        }
        ManagedProcess tool = new ManagedProcess("kafka-format", settings);
        ProcessHandle h = tool.start(List.of(Classpaths.javaExecutable(), "-Xmx256m", "-cp",
                Classpaths.read("runtime.classpath"), "kafka.tools.StorageTool", "format", "--ignore-formatted",
                "-t", Uuid.randomUuid().toString(), "-c", config.toString()), dir, Map.of());
        try {
            h.onExit().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            h.destroyForcibly();
        }
        if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            throw new StackException("formatting Kafka storage failed; log:\n" + tool.logTail(20));
        }
    }

    /** Creates the missing topics, then every user's SCRAM credential and the ACLs (see {@link KafkaUsers}). */
    private void createTopicsAndUsers() {
        Map<String, Object> config = new HashMap<>(KafkaClientAuth.plain(KafkaUsers.ADMIN,
                users.password(KafkaUsers.ADMIN)));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, address());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = Arrays.stream(Topics.all()).filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, PARTITIONS, (short) 1)).toList();
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            users.apply(admin);
        } catch (Exception e) {
            throw new StackException("Kafka is up on " + address() + " but creating its topics, users or ACLs "
                    + "failed: " + e, e);
        }
        users.awaitUsable(address(), Duration.ofSeconds(30));
    }
}
