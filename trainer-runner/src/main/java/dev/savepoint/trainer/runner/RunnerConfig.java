package dev.savepoint.trainer.runner;

import java.util.Map;

/**
 * Where an attempt process sends events and checkpoints, from its environment (set by trainer-service, a Kubernetes
 * Job, or ./savepoint), with local-stack defaults.
 *
 * @param uploadPauseMillis fault injection for tests: a pause before each checkpoint object upload
 */
public record RunnerConfig(
        String kafkaBootstrap,
        String s3Endpoint,
        String s3AccessKey,
        String s3SecretKey,
        String bucket,
        String checkpointServiceUrl,
        long uploadPauseMillis) {

    public static RunnerConfig fromEnvironment() {
        return from(System.getenv());
    }

    static RunnerConfig from(Map<String, String> env) {
        return new RunnerConfig(
                env.getOrDefault("SAVEPOINT_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
                env.getOrDefault("SAVEPOINT_S3_ENDPOINT", "http://127.0.0.1:9000"),
                env.getOrDefault("SAVEPOINT_S3_ACCESS_KEY", "savepoint"),
                env.getOrDefault("SAVEPOINT_S3_SECRET_KEY", "savepoint-local-secret"),
                env.getOrDefault("SAVEPOINT_S3_BUCKET", "savepoint"),
                env.getOrDefault("SAVEPOINT_CHECKPOINT_URL", "http://127.0.0.1:8082"),
                Long.parseLong(env.getOrDefault("SAVEPOINT_TEST_UPLOAD_PAUSE_MS", "0")));
    }

    /** The environment variables that reproduce this config in a child process. */
    public Map<String, String> toEnvironment() {
        return Map.of("SAVEPOINT_KAFKA_BOOTSTRAP", kafkaBootstrap, "SAVEPOINT_S3_ENDPOINT", s3Endpoint,
                "SAVEPOINT_S3_ACCESS_KEY", s3AccessKey, "SAVEPOINT_S3_SECRET_KEY", s3SecretKey,
                "SAVEPOINT_S3_BUCKET", bucket, "SAVEPOINT_CHECKPOINT_URL", checkpointServiceUrl,
                "SAVEPOINT_TEST_UPLOAD_PAUSE_MS", Long.toString(uploadPauseMillis));
    }
}
