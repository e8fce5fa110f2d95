package dev.savepoint.trainer.runner;

import java.util.HashMap;
import java.util.Map;

/**
 * Where an attempt process sends events and checkpoints, how patiently it retries them, and the test faults it
 * injects, from its environment (set by trainer-service, a Kubernetes Job, or ./savepoint), with local-stack defaults.
 */
public record RunnerConfig(
        String kafkaBootstrap,
        String s3Endpoint,
        String s3AccessKey,
        String s3SecretKey,
        String bucket,
        String checkpointServiceUrl,
        RetryPolicy retry,
        TestFaults faults) {

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
                RetryPolicy.from(env),
                TestFaults.from(env));
    }

    /** The environment variables that reproduce this config in a child process. */
    public Map<String, String> toEnvironment() {
        Map<String, String> env = new HashMap<>(Map.of("SAVEPOINT_KAFKA_BOOTSTRAP", kafkaBootstrap,
                "SAVEPOINT_S3_ENDPOINT", s3Endpoint, "SAVEPOINT_S3_ACCESS_KEY", s3AccessKey,
                "SAVEPOINT_S3_SECRET_KEY", s3SecretKey, "SAVEPOINT_S3_BUCKET", bucket,
                "SAVEPOINT_CHECKPOINT_URL", checkpointServiceUrl));
        env.putAll(retry.toEnvironment());
        env.putAll(faults.toEnvironment());
        return env;
    }
}
