package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.KafkaClientAuth;
import dev.savepoint.contracts.runtime.AttemptEnvironment;
import java.util.HashMap;
import java.util.Map;

/**
 * Where an attempt process sends events and checkpoints, which trainer-service supervises it ({@code supervisorUrl},
 * null when none does), how patiently it retries, and the test faults it injects, from its environment (set by
 * trainer-service, a Kubernetes Job, or ./savepoint), with local-stack defaults. {@code trainerGraceMillis} is how long
 * a command run's trainer gets between SIGTERM and SIGKILL ({@value #TRAINER_GRACE_MS}, default 30 s). The Kafka user
 * ({@code SAVEPOINT_KAFKA_USER}, the attempts' own, null for a broker without SASL) and its password go only into the
 * event producer's {@code sasl.jaas.config} ({@link #kafkaClient()}); {@link #toString()} leaves out every secret.
 * {@code transfer} is how checkpoint files are sharded and moved ({@link TransferSettings}).
 */
public record RunnerConfig(
        String kafkaBootstrap,
        String kafkaUser,
        String kafkaPassword,
        String s3Endpoint,
        String s3AccessKey,
        String s3SecretKey,
        String bucket,
        String checkpointServiceUrl,
        String supervisorUrl,
        RetryPolicy retry,
        TestFaults faults,
        long trainerGraceMillis,
        TransferSettings transfer) {

    public static final String TRAINER_GRACE_MS = "SAVEPOINT_TRAINER_GRACE_MS";

    public static RunnerConfig fromEnvironment() {
        return from(System.getenv());
    }

    static RunnerConfig from(Map<String, String> env) {
        return new RunnerConfig(
                env.getOrDefault(AttemptEnvironment.KAFKA_BOOTSTRAP, "127.0.0.1:9092"),
                blankToNull(env.get(AttemptEnvironment.KAFKA_USER)),
                blankToNull(env.get(AttemptEnvironment.KAFKA_PASSWORD)),
                env.getOrDefault(AttemptEnvironment.S3_ENDPOINT, "http://127.0.0.1:9000"),
                env.getOrDefault(AttemptEnvironment.S3_ACCESS_KEY, "savepoint"),
                env.getOrDefault(AttemptEnvironment.S3_SECRET_KEY, "savepoint-local-secret"),
                env.getOrDefault(AttemptEnvironment.S3_BUCKET, "savepoint"),
                env.getOrDefault(AttemptEnvironment.CHECKPOINT_URL, "http://127.0.0.1:8082"),
                blankToNull(env.get(AttemptEnvironment.SUPERVISOR_URL)),
                RetryPolicy.from(env),
                TestFaults.from(env),
                Long.parseLong(env.getOrDefault(TRAINER_GRACE_MS, "30000")),
                TransferSettings.from(env));
    }

    /** The environment variables that reproduce this config in a child process. */
    public Map<String, String> toEnvironment() {
        Map<String, String> env = new HashMap<>(Map.of(AttemptEnvironment.KAFKA_BOOTSTRAP, kafkaBootstrap,
                AttemptEnvironment.S3_ENDPOINT, s3Endpoint, AttemptEnvironment.S3_ACCESS_KEY, s3AccessKey,
                AttemptEnvironment.S3_SECRET_KEY, s3SecretKey, AttemptEnvironment.S3_BUCKET, bucket,
                AttemptEnvironment.CHECKPOINT_URL, checkpointServiceUrl));
        if (supervisorUrl != null) {
            env.put(AttemptEnvironment.SUPERVISOR_URL, supervisorUrl);
        }
        if (kafkaUser != null) {
            env.put(AttemptEnvironment.KAFKA_USER, kafkaUser);
            env.put(AttemptEnvironment.KAFKA_PASSWORD, kafkaPassword);
        }
        env.putAll(retry.toEnvironment());
        env.putAll(faults.toEnvironment());
        env.put(TRAINER_GRACE_MS, Long.toString(trainerGraceMillis));
        env.putAll(transfer.toEnvironment());
        return env;
    }

    /** The event producer's connection: bootstrap servers and, with a Kafka user, SASL (contracts' KafkaClientAuth). */
    public Map<String, Object> kafkaClient() {
        Map<String, Object> c = new HashMap<>(KafkaClientAuth.scram(kafkaUser, kafkaPassword));
        c.put("bootstrap.servers", kafkaBootstrap);
        return c;
    }

    /** Without the S3 secret key and the Kafka password: a config may be printed, a secret never. */
    @Override
    public String toString() {
        return "RunnerConfig[kafkaBootstrap=" + kafkaBootstrap + ", kafkaUser=" + kafkaUser + ", s3Endpoint="
                + s3Endpoint + ", s3AccessKey=" + s3AccessKey + ", bucket=" + bucket + ", checkpointServiceUrl="
                + checkpointServiceUrl + ", supervisorUrl=" + supervisorUrl + ", retry=" + retry + ", faults=" + faults
                + ", trainerGraceMillis=" + trainerGraceMillis + ", transfer=" + transfer + "]";
    }

    /** Null when the attempt has no supervising trainer-service (a Kubernetes Job, {@code ./savepoint attempt}). */
    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
