package dev.savepoint.stack;

import static dev.savepoint.contracts.Topics.CHECKPOINTS;
import static dev.savepoint.contracts.Topics.COMMANDS;
import static dev.savepoint.contracts.Topics.RUNS;
import static dev.savepoint.contracts.Topics.dlq;

import dev.savepoint.contracts.KafkaClientAuth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The local broker's users, their passwords and their ACLs. Each password is generated once per stack root and kept
 * in {@code kafka/users/<user>.password} (mode 600); {@code admin} is the broker's super user (a static SASL/PLAIN
 * entry in its configuration, and a SCRAM credential like the others), every other user gets exactly the ACLs of the
 * table in docs/architecture.md. {@link #apply} creates or updates all of it and is run on every broker start, so a log
 * dir formatted by an older version, without users, is brought up to date too.
 */
public final class KafkaUsers {

    /** The super user: the stack itself (topics, users, ACLs) and the tests' clients. */
    public static final String ADMIN = "admin";
    public static final String SCHEDULER = "scheduler";
    public static final String CHECKPOINT = "checkpoint";
    public static final String TRAINER = "trainer";
    /** Every training attempt: writes run and checkpoint events, reads nothing. */
    public static final String ATTEMPT = "attempt";
    /** Each service module and its own user. */
    public static final Map<String, String> OF_SERVICE = Map.of("scheduler-service", SCHEDULER,
            "checkpoint-service", CHECKPOINT, "trainer-service", TRAINER);
    /** SCRAM-SHA-256 iterations: Kafka's minimum is 4096. */
    private static final int ITERATIONS = 8192;

    private final Path dir;

    KafkaUsers(Path kafkaDir) {
        this.dir = kafkaDir.resolve("users");
    }

    static List<String> all() {
        return List.of(ADMIN, SCHEDULER, CHECKPOINT, TRAINER, ATTEMPT);
    }

    /** The user's password, generated on first use. */
    String password(String user) {
        if (!all().contains(user)) {
            throw new StackException("the local Kafka has no user '" + user + "'; its users are " + all());
        }
        return SecretFile.readOrCreate(dir.resolve(user + ".password"), "the Kafka password of " + user);
    }

    /** Creates or updates every user's SCRAM credential and every ACL of {@link #acls()} (both idempotent). */
    void apply(Admin admin) throws Exception {
        List<org.apache.kafka.clients.admin.UserScramCredentialAlteration> users = new ArrayList<>();
        for (String user : all()) {
            users.add(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, ITERATIONS), password(user)));
        }
        admin.alterUserScramCredentials(users).all().get(30, TimeUnit.SECONDS);
        admin.createAcls(acls()).all().get(30, TimeUnit.SECONDS);
    }

    /**
     * Waits until every user authenticates with SCRAM: the broker learns a new credential from the metadata log a
     * moment after the controller committed it, and a client that came too early would fail authentication.
     */
    void awaitUsable(String bootstrap, Duration timeout) {
        for (String user : all()) {
            Map<String, Object> c = new HashMap<>(KafkaClientAuth.scram(user, password(user)));
            c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
            c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
            boolean usable = Ports.await(timeout, () -> {
                try (Admin admin = Admin.create(c)) {
                    admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
                    return true;
                } catch (Exception e) {
                    return false; // not known yet (an authentication failure): try again with a new client
                }
            });
            if (!usable) {
                throw new StackException("the Kafka user '" + user + "' still cannot authenticate at " + bootstrap
                        + " " + timeout.toSeconds() + " s after its SCRAM credential was created");
            }
        }
    }

    /**
     * What each user may do, and nothing more: a service reads the topics its channels consume (in consumer groups
     * named after it, also its tests' {@code *-test} groups) and writes the topics it produces to and the .dlq twins
     * of what it consumes; an attempt writes run and checkpoint events only. Producers are idempotent. Public as the
     * one definition the dev overlay's and Compose's ACLs (deploy/kubernetes/overlays/dev/kafka-acls.txt) are checked
     * against.
     */
    public static List<AclBinding> acls() {
        List<AclBinding> acls = new ArrayList<>();
        consumes(acls, SCHEDULER, "scheduler-service", RUNS, CHECKPOINTS);
        produces(acls, SCHEDULER, RUNS, COMMANDS, dlq(RUNS), dlq(CHECKPOINTS));
        consumes(acls, CHECKPOINT, "checkpoint-service", CHECKPOINTS, RUNS);
        produces(acls, CHECKPOINT, CHECKPOINTS, dlq(CHECKPOINTS), dlq(RUNS));
        consumes(acls, TRAINER, "trainer-service", COMMANDS, RUNS);
        produces(acls, TRAINER, RUNS, dlq(COMMANDS), dlq(RUNS));
        produces(acls, ATTEMPT, RUNS, CHECKPOINTS);
        return acls;
    }

    private static void consumes(List<AclBinding> acls, String user, String groupPrefix, String... topics) {
        for (String topic : topics) {
            allow(acls, user, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ, AclOperation.DESCRIBE);
        }
        allow(acls, user, ResourceType.GROUP, groupPrefix, PatternType.PREFIXED, AclOperation.READ,
                AclOperation.DESCRIBE);
    }

    private static void produces(List<AclBinding> acls, String user, String... topics) {
        for (String topic : topics) {
            allow(acls, user, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE,
                    AclOperation.DESCRIBE);
        }
        allow(acls, user, ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.IDEMPOTENT_WRITE);
    }

    private static void allow(List<AclBinding> acls, String user, ResourceType type, String name,
            PatternType pattern, AclOperation... operations) {
        for (AclOperation op : operations) {
            AclBinding binding = new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW));
            if (!acls.contains(binding)) {
                acls.add(binding);
            }
        }
    }
}
