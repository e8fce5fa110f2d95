package dev.savepoint.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the local stack lives and how to reach it: the {@code .savepoint/} folder at the repository root, ports
 * and S3 credentials (environment variables with local defaults).
 */
public record StackSettings(
        Path root,
        String host,
        int kafkaPort,
        int kafkaControllerPort,
        int s3Port,
        int postgresPort,
        String s3AccessKey,
        String s3SecretKey,
        String bucket) {

    public static StackSettings fromEnvironment() {
        return from(System.getenv(), repositoryRoot());
    }

    static StackSettings from(Map<String, String> env, Path repoRoot) {
        return new StackSettings(
                repoRoot.resolve(".savepoint"),
                "127.0.0.1",
                port(env, "SAVEPOINT_KAFKA_PORT", 9092),
                port(env, "SAVEPOINT_KAFKA_CONTROLLER_PORT", 9093),
                port(env, "SAVEPOINT_S3_PORT", 9000),
                port(env, "SAVEPOINT_POSTGRES_PORT", 5432),
                env.getOrDefault("SAVEPOINT_S3_ACCESS_KEY", "savepoint"),
                env.getOrDefault("SAVEPOINT_S3_SECRET_KEY", "savepoint-local-secret"),
                env.getOrDefault("SAVEPOINT_S3_BUCKET", "savepoint"));
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new StackException(name + " must be a port number between 1 and 65535, got '" + value + "'");
    }

    /**
     * The repository root: the {@code dev.savepoint.repo-root} system property (set by the build), else the nearest
     * folder upwards from the working directory that holds the {@code savepoint} script.
     */
    public static Path repositoryRoot() {
        String configured = System.getProperty("dev.savepoint.repo-root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("savepoint")) && Files.isRegularFile(d.resolve("pom.xml"))) {
                return d;
            }
        }
        return dir;
    }

    /** The same stack, with pids and logs of processes started under another folder (e.g. a test's services). */
    public StackSettings withRoot(Path otherRoot) {
        return new StackSettings(otherRoot, host, kafkaPort, kafkaControllerPort, s3Port, postgresPort, s3AccessKey,
                s3SecretKey, bucket);
    }

    /** The same stack with its Kafka broker on other ports, e.g. a test's private broker it kills and restarts. */
    public StackSettings withKafkaPorts(int broker, int controller) {
        return new StackSettings(root, host, broker, controller, s3Port, postgresPort, s3AccessKey, s3SecretKey,
                bucket);
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path pids() {
        return root.resolve("pids");
    }

    public String kafkaBootstrap() {
        return host + ":" + kafkaPort;
    }

    public String s3Endpoint() {
        return "http://" + host + ":" + s3Port;
    }

    public String jdbcUrl(int port) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + Postgres.DATABASE;
    }
}
