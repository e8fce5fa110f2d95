package dev.savepoint.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import dev.savepoint.contracts.KafkaClientAuth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real local stack without Docker: Kafka (KRaft), PostgreSQL and S3Proxy as background processes. {@code up} is
 * idempotent and all-or-nothing; {@code down} stops exactly the processes the stack started.
 */
public final class LocalStack {

    private final StackSettings settings;
    private final KafkaNode kafka;
    private final Postgres postgres;
    private final S3Server s3;

    public LocalStack(StackSettings settings) {
        this.settings = settings;
        this.kafka = new KafkaNode(settings);
        this.postgres = new Postgres(settings);
        this.s3 = new S3Server(settings);
    }

    public StackSettings settings() {
        return settings;
    }

    List<StackPart> parts() {
        return List.of(postgres, kafka, s3);
    }

    /** True when every part answers. */
    public boolean isUp() {
        return parts().stream().allMatch(LocalStack::isUp);
    }

    /** Up means answering; for a part with its own ports also that this stack started it (not a stranger's server). */
    private static boolean isUp(StackPart part) {
        return part.isUp() && (part.ports().isEmpty() || part.isManaged());
    }

    /** Starts every part that is not up; on any failure stops what this call started and rethrows. */
    public void up(PrintStream out) {
        withLock(() -> {
            List<StackPart> toStart = parts().stream().filter(p -> !isUp(p)).toList();
            toStart.forEach(this::requirePortsFree); // all ports checked before anything starts
            List<StackPart> started = new ArrayList<>();
            try {
                for (StackPart part : parts()) {
                    if (!toStart.contains(part)) {
                        out.printf("  %-9s already up   %s%n", part.name(), part.address());
                        continue;
                    }
                    long t0 = System.nanoTime();
                    started.add(part);
                    part.start();
                    out.printf("  %-9s started in %.1fs  %s%n", part.name(), (System.nanoTime() - t0) / 1e9,
                            part.address());
                }
                tokens().ensure(out);
            } catch (RuntimeException e) {
                for (StackPart part : reversed(started)) {
                    part.stop();
                }
                throw e;
            }
        });
    }

    /** The stack's API tokens (access control): the admin token and the services' token. */
    public StackTokens tokens() {
        return new StackTokens(settings, settings.jdbcUrl(postgres.port()));
    }

    /** Stops the parts this stack started, newest first; servers it found running are left alone. */
    public void down(PrintStream out) {
        withLock(() -> {
            for (StackPart part : reversed(parts())) {
                boolean stopped = part.stop();
                out.printf("  %-9s %s%n", part.name(), stopped ? "stopped" : "was not started by the stack");
            }
        });
    }

    /**
     * SIGKILLs the Kafka broker this stack started, to test an outage: clients see the broker vanish without a clean
     * shutdown. The ports are free again when this returns and the log dir is kept, for {@link #startKafka()}.
     *
     * @return false when this stack had no broker running (one it did not start is never touched)
     */
    public boolean killKafka() {
        boolean[] killed = new boolean[1];
        withLock(() -> killed[0] = kafka.kill());
        return killed[0];
    }

    /**
     * Starts this stack's Kafka broker (again) on its ports and log dir, keeping the cluster id and every record
     * written before a {@link #killKafka()}, and returns once it serves and has the product's topics. Alone, it also
     * starts a private broker for a test (a stack on other ports and another root, see
     * {@link StackSettings#withKafkaPorts}); {@link #down} stops it.
     *
     * @throws StackException when a broker already answers there or it does not start within 3 minutes
     */
    public void startKafka() {
        withLock(() -> {
            if (kafka.isUp()) {
                throw new StackException("Kafka already answers on " + kafka.address() + "; kill it first");
            }
            requirePortsFree(kafka);
            kafka.start();
        });
    }

    /**
     * The running process of a part this stack started ({@code kafka}, {@code s3} or {@code postgres}), for a fault
     * that freezes or kills it; empty when it is down or is a server the stack found running (never touched).
     */
    public java.util.Optional<ProcessHandle> process(String part) {
        return new ManagedProcess(part(part).name(), settings).running().filter(h -> part(part).isManaged());
    }

    /**
     * SIGKILLs a part this stack started, keeping its data, as a crash would; {@link #restart} brings it back.
     *
     * @return false when this stack had no such process running
     */
    public boolean kill(String part) {
        boolean[] killed = new boolean[1];
        withLock(() -> killed[0] = part(part).isManaged() && new ManagedProcess(part, settings)
                .stop("KILL", java.time.Duration.ofSeconds(20)));
        return killed[0];
    }

    /** Stops a part this stack started the ordinary way (PostgreSQL: fast shutdown, every client disconnected). */
    public boolean stop(String part) {
        boolean[] stopped = new boolean[1];
        withLock(() -> stopped[0] = part(part).stop());
        return stopped[0];
    }

    /** Starts a part again on its ports and data after {@link #kill} or {@link #stop}; returns once it answers. */
    public void restart(String part) {
        withLock(() -> {
            StackPart p = part(part);
            if (p.isUp()) {
                throw new StackException(p.name() + " already answers on " + p.address() + "; stop it first");
            }
            requirePortsFree(p);
            if (p == postgres) {
                postgres.restart();
            } else {
                p.start();
            }
        });
    }

    /** True when the part answers clients now. */
    public boolean answers(String part) {
        return part(part).isUp();
    }

    private StackPart part(String name) {
        return parts().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() -> new StackException(
                "no stack part named '" + name + "'; the parts are postgres, kafka and s3"));
    }

    /** One line per part: name, address, up or down. */
    public Map<String, String> status() {
        Map<String, String> lines = new LinkedHashMap<>();
        for (StackPart part : parts()) {
            String state;
            if (isUp(part)) {
                state = "up";
            } else if (!part.ports().isEmpty() && part.ports().stream().anyMatch(p -> !Ports.free(settings.host(), p))) {
                state = "down (port taken by another program)";
            } else {
                state = "down";
            }
            lines.put(part.name(), String.format("%-9s %-5s %s", part.name(), state, part.address()));
        }
        return lines;
    }

    /**
     * Configuration the service module {@code service} (or a test of it) needs to reach this stack, as Quarkus
     * property names: {@link #serviceConfig()} plus its own Kafka user ({@code kafka.security.protocol},
     * {@code kafka.sasl.mechanism}, {@code kafka.sasl.jaas.config}), and for trainer-service the attempts' Kafka user,
     * which it passes to its attempts.
     */
    public Map<String, String> serviceConfig(String service) {
        String user = KafkaUsers.OF_SERVICE.get(service);
        if (user == null) {
            throw new StackException("no Kafka user for a service named '" + service + "'; the services are "
                    + KafkaUsers.OF_SERVICE.keySet());
        }
        Map<String, String> c = new LinkedHashMap<>(serviceConfig());
        c.putAll(KafkaClientAuth.quarkusProperties(KafkaClientAuth.scram(user, kafka.users().password(user))));
        if (user.equals(KafkaUsers.TRAINER)) {
            c.put("savepoint.runner.kafka-user", KafkaUsers.ATTEMPT);
            c.put("savepoint.runner.kafka-password", kafka.users().password(KafkaUsers.ATTEMPT));
        }
        return c;
    }

    /**
     * Kafka client properties (bootstrap servers, SASL) of one of the broker's users ({@link KafkaUsers}), e.g. the
     * admin for a test's clients or an attempt's user to check what it may not do.
     */
    public Map<String, Object> kafkaClientConfig(String user) {
        Map<String, Object> c = new HashMap<>(KafkaClientAuth.scram(user, kafka.users().password(user)));
        c.put("bootstrap.servers", settings.kafkaBootstrap());
        return c;
    }

    /** {@link #kafkaClientConfig} of the super user {@code admin}: what the tests' Kafka clients use. */
    public Map<String, Object> kafkaAdminConfig() {
        return kafkaClientConfig(KafkaUsers.ADMIN);
    }

    /**
     * Configuration every service needs to reach this stack, as Quarkus property names, without a Kafka user: a
     * service adds its own ({@link #serviceConfig(String)}).
     */
    public Map<String, String> serviceConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("kafka.bootstrap.servers", settings.kafkaBootstrap());
        c.put("quarkus.datasource.jdbc.url", settings.jdbcUrl(postgres.port()));
        c.put("quarkus.datasource.username", Postgres.USER);
        c.put("quarkus.datasource.password", Postgres.PASSWORD);
        c.put("savepoint.s3.endpoint", settings.s3Endpoint());
        c.put("savepoint.s3.access-key", settings.s3AccessKey());
        c.put("savepoint.s3.secret-key", settings.s3SecretKey());
        c.put("savepoint.s3.bucket", settings.bucket());
        tokens().service().ifPresent(t -> c.put("savepoint.service-token", t));
        // issue 11, events are authentic: the services' event key, generated once per stack
        c.put("savepoint.event-key", eventKey());
        return c;
    }

    /** The services' event key of this stack (contracts' EventSignatures), generated on first use (mode 600). */
    public String eventKey() {
        return EventKey.readOrCreate(settings.root());
    }

    private void requirePortsFree(StackPart part) {
        for (int port : part.ports()) {
            if (!Ports.free(settings.host(), port)) {
                throw new StackException("port " + port + " on " + settings.host() + " is already taken by another "
                        + "program, so " + part.name() + " cannot start. Stop that program, or choose another port "
                        + "(see README: SAVEPOINT_*_PORT).");
            }
        }
    }

    /** Serialises stack changes between concurrent commands and test JVMs. */
    private void withLock(Runnable action) {
        try {
            Files.createDirectories(settings.root());
            try (FileChannel ch = FileChannel.open(settings.root().resolve("stack.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
                action.run();
            }
        } catch (IOException e) {
            throw new StackException("cannot lock " + settings.root() + "/stack.lock: " + e.getMessage(), e);
        }
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }
}
