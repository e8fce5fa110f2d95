package dev.savepoint.trainer.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The typed configuration of trainer-service: where attempts send their data, and how they are run and supervised. */
@ConfigMapping(prefix = "savepoint")
public interface TrainerConfig {

    S3 s3();

    /**
     * This service's API token (role trainer, SAVEPOINT_SERVICE_TOKEN), passed to the attempts it starts as their
     * SAVEPOINT_API_TOKEN so that they can lease checkpoints; the stack creates it.
     */
    Optional<String> serviceToken();

    /** This service itself, as its attempts and the scheduler see it. */
    Trainer trainer();

    Runner runner();

    /** How attempts shard and move checkpoint files (passed to each attempt process). */
    Checkpoint checkpoint();

    Attempts attempts();

    Commands commands();

    /** How this service's consumers retry a record whose processing failed transiently. */
    Consumer consumer();

    /**
     * The services' event key K (environment {@code SAVEPOINT_EVENT_KEY}, at least 32 characters; the local stack
     * generates one, a cluster takes it from a Secret): signs and verifies every Kafka record (contracts'
     * EventSignatures).
     */
    String eventKey();

    /** This trainer-service as others reach it. */
    interface Trainer {
        /**
         * The base URL at which the scheduler reaches this service's attempt API ({@code GET
         * /api/attempts/{runId}/{attempt}}), passed to every attempt (contracts' {@code SAVEPOINT_SUPERVISOR_URL})
         * and carried by its AttemptStarted; default: {@code http://127.0.0.1:} and the port this service serves on.
         * Set it when the scheduler runs on another host.
         */
        Optional<String> advertisedUrl();
    }

    /** The S3 store attempts write checkpoints to (passed to each attempt process; this service never touches it). */
    interface S3 {
        /** S3 endpoint URL. */
        @WithDefault("http://127.0.0.1:9000")
        String endpoint();

        /** S3 access key; no default outside the dev and test profiles (env SAVEPOINT_S3_ACCESS_KEY). */
        String accessKey();

        /** S3 secret key; no default outside the dev and test profiles (env SAVEPOINT_S3_SECRET_KEY). */
        String secretKey();

        /** Bucket the checkpoints go to. */
        @WithDefault("savepoint")
        String bucket();
    }

    /** How attempts write and read checkpoint files. */
    interface Checkpoint {
        /**
         * Tensor bytes above which a checkpoint's model and optimizer files are split into Hugging Face shards
         * ({@code model-00001-of-0000n.safetensors} and an index); at most 2G, the safetensors per-file limit
         * (env SAVEPOINT_CHECKPOINT_SHARD_SIZE).
         */
        @WithDefault("1G")
        MemorySize shardSize();

        /** Bytes of one multipart upload part and of one ranged GET of a restore; at least 5M (the S3 minimum). */
        @WithDefault("16M")
        MemorySize partSize();

        /** Parts or ranges of one file in flight at once; each upload holds this many part buffers. */
        @WithDefault("4")
        int parallelism();
    }

    /** How an attempt process is started and what it is told. */
    interface Runner {
        /** Kafka bootstrap servers the attempt sends its events to (application.properties: the service's own). */
        @WithDefault("127.0.0.1:9092")
        String kafkaBootstrap();

        /**
         * The attempts' Kafka user (SASL/SCRAM, contracts' KafkaClientAuth), passed to every attempt as
         * SAVEPOINT_KAFKA_USER; never this service's own user. Unset: attempts connect without SASL.
         */
        Optional<String> kafkaUser();

        /** That user's password, passed as SAVEPOINT_KAFKA_PASSWORD (env SAVEPOINT_RUNNER_KAFKA_PASSWORD). */
        Optional<String> kafkaPassword();

        /** Base URL of checkpoint-service, which the attempt asks for the checkpoint to resume from. */
        @WithDefault("http://127.0.0.1:8082")
        String checkpointServiceUrl();

        /** The java executable of attempt processes; default: the one running this service. */
        Optional<Path> java();

        /** Extra JVM options of attempt processes, e.g. -Xmx2g. */
        Optional<List<String>> jvmOptions();

        /**
         * Class path of attempt processes, e.g. {@code /app/runner/lib/*} for the relocatable runner folder that the
         * trainer-runner build writes to {@code target/runner}; default: the trainer-runner classes beside this
         * service plus the class path the trainer-runner build recorded (this machine's Maven repository).
         */
        Optional<String> classPath();
    }

    /** Supervision of attempt processes. */
    interface Attempts {
        /** Directory of each attempt's spec file and log ({runId}-{attempt}.log). */
        @WithDefault("${java.io.tmpdir}/savepoint-attempts")
        Path workDir();

        /** How many attempts run at once; further launches wait in a FIFO queue. */
        @WithDefault("1")
        int slots();

        /** Time a cancelled attempt gets after SIGTERM to write its final checkpoint before SIGKILL. */
        @WithDefault("30s")
        Duration cancelGrace();

        /** Time running attempts get after SIGTERM when this service stops, before SIGKILL. */
        @WithDefault("30s")
        Duration shutdownGrace();

        /** After an exit the attempt may have reported itself (e.g. code 1), how long to wait for its own terminal
         *  event before reporting the death on its behalf. */
        @WithDefault("10s")
        Duration reportGrace();

        /**
         * An ended attempt is forgotten (dropped from the API, its spec and log files deleted) this long after its end;
         * never sooner than {@code savepoint.commands.max-launch-age}, so a late duplicate launch is still fenced.
         */
        @WithDefault("24h")
        Duration forgetAfter();

        /** How often ended attempts are checked for being old enough to forget. */
        @WithDefault("10m")
        Duration forgetEvery();

        /** Size at which an attempt's log file rolls over to {@code {runId}-{attempt}.log.1}. */
        @WithDefault("10M")
        MemorySize logMaxSize();

        /** Rolled-over log files kept per attempt ({@code .log.1} newest ... {@code .log.N} oldest). */
        @WithDefault("3")
        int logBackups();
    }

    /** The savepoint.commands consumer. */
    interface Commands {
        /** Handle only commands whose run id (record key) starts with this; for deployments sharing one Kafka. */
        Optional<String> runIdPrefix();

        /**
         * A launch older than this is stale and dropped: by then the scheduler has timed the attempt out and launched
         * the next one. It lets the consumer start from the earliest offset without replaying old launches.
         */
        @WithDefault("10m")
        java.time.Duration maxLaunchAge();
    }

    /**
     * Event consumers: a record whose processing fails transiently (e.g. the broker) is processed again with
     * exponential backoff until it succeeds; unreadable records and other failures go to the topic's .dlq twin.
     */
    interface Consumer {
        /** Wait before processing a transiently failed record again; it doubles with every further failure. */
        @WithDefault("200ms")
        Duration retryBackoff();

        /** Longest wait between two tries of a transiently failing record. */
        @WithDefault("5s")
        Duration maxRetryBackoff();
    }
}
