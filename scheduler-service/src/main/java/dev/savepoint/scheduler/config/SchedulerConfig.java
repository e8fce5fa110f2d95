package dev.savepoint.scheduler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Typed configuration of scheduler-service. */
@ConfigMapping(prefix = "savepoint.scheduler")
public interface SchedulerConfig {

    /** Which launcher starts attempts: {@code kafka} (trainer-service workers) or {@code kubernetes} (a Job each). */
    @WithDefault("kafka")
    String launcher();

    /**
     * Base URL of checkpoint-service (corrupt marks, fork bases), or its replicas' URLs separated by commas: a call
     * goes on to the next when one cannot be reached or answers 502/503 (contracts ServiceUrls).
     */
    @WithDefault("http://127.0.0.1:8082")
    String checkpointServiceUrl();

    /** How often due launches, expired leases and unsent launch commands are looked for. */
    @WithDefault("1s")
    Duration tick();

    /** Heartbeat leases: an attempt is lost after this many heartbeat periods without one. */
    @WithDefault("3")
    int missedHeartbeats();

    /** Slack added to a heartbeat lease for JVM start-up, GC pauses and broker latency. */
    @WithDefault("2s")
    Duration leaseGrace();

    /** A launched attempt that has not reported its start within this time failed to launch. */
    @WithDefault("3m")
    Duration launchTimeout();

    /**
     * An attempt whose lease expired but whose launcher says it is alive is left running (its heartbeats may be stuck
     * behind a broken broker connection, buffered until it is back); silent for longer than this, it is stopped
     * through its launcher and fails with HEARTBEAT_LOST. The default, 10 minutes, outlasts ordinary broker and
     * network outages and bounds the time a hung attempt holds its slot.
     */
    @WithDefault("10m")
    Duration silentAliveLimit();

    /**
     * A built-in attempt's success is held until a checkpoint at its final step is committed or rejected; a claim
     * that neither decides within this time (on the scheduler's horizon, counted from the claim) fails as
     * UNVERIFIED_SUCCESS and the run resumes from its newest committed checkpoint. The default, 10 minutes, outlasts
     * the upload and verification of a large final checkpoint.
     */
    @WithDefault("10m")
    Duration claimTimeout();

    /**
     * Base URLs of the trainer-service workers asked whether an attempt is alive when its AttemptStarted named no
     * supervisor (the kafka launcher); comma-separated.
     */
    @WithDefault("http://127.0.0.1:8081")
    java.util.List<String> trainerServiceUrls();

    /** Connect and request timeout of a liveness probe and of a visibility probe of the broker. */
    @WithDefault("2s")
    Duration probeTimeout();

    /**
     * How far the consumer of savepoint.runs may lag behind the broker's end offsets (the age of the oldest probe not
     * yet read up to) before the scheduler counts itself as not seeing: leases are not judged until it caught up.
     */
    @WithDefault("3s")
    Duration lagTolerance();

    /** Preemptions (SIGTERM, node drain) a run may take before it gives up; they do not use restarts. */
    @WithDefault("20")
    int maxPreemptions();

    /**
     * The API token (role trainer) the scheduler sends to checkpoint-service and trainer-service
     * (SAVEPOINT_SERVICE_TOKEN); the stack creates it. Attempts on Kubernetes get theirs from the Secret.
     */
    Optional<String> serviceToken();

    /** The Kubernetes launcher. */
    Kubernetes kubernetes();

    /** The scheduler's database. */
    Database database();

    /** The processed-event log that makes the consumers idempotent. */
    ProcessedEvents processedEvents();

    /**
     * Periodic jobs (the processed-event pruner) run once per cluster however many replicas (contracts ClusterJobs);
     * a round whose replica died (never finished) is run again by another after this long.
     */
    @WithName("cluster-jobs.stale-after")
    @WithDefault("30m")
    Duration clusterJobsStaleAfter();

    /** Goodput gauges (per run) on /q/metrics. */
    Goodput goodput();

    /** Which runs have goodput gauges, and how often they are recomputed. */
    interface Goodput {
        /** How often the gauges are recomputed from the database. */
        @WithDefault("15s")
        Duration metricsInterval();

        /** Runs that ended longer ago than this lose their gauges; live runs always have them. */
        @WithDefault("1h")
        Duration metricsWindow();

        /** At most this many runs have gauges (the newest first), bounding the metrics' cardinality. */
        @WithDefault("1000")
        int metricsMaxRuns();
    }

    /** The PostgreSQL database (connection settings are Quarkus's {@code quarkus.datasource.*}). */
    interface Database {
        /**
         * The password Quarkus's datasource uses ({@code quarkus.datasource.password}, env
         * QUARKUS_DATASOURCE_PASSWORD); required here so that a prod start without it stops at once naming the
         * variable, not at the first query.
         */
        String password();
    }

    /** How long applied event ids are remembered. */
    interface ProcessedEvents {
        /**
         * An applied event id is kept this long; longer than the topics' retention (Kafka's default: 7 days), after
         * which no redelivery of the event can arrive.
         */
        @WithDefault("14d")
        Duration retention();

        /** How often ids older than the retention are deleted. */
        @WithDefault("1h")
        Duration pruneInterval();

        /** Ids deleted per transaction, so pruning holds few row locks at a time. */
        @WithDefault("1000")
        int pruneBatch();
    }

    /** How the event consumers retry a record whose processing failed transiently. */
    Consumer consumer();

    /**
     * The services' event key K ({@code savepoint.event-key}, from the environment {@code SAVEPOINT_EVENT_KEY}, at least 32 characters; the local stack
     * generates one, a cluster takes it from a Secret): signs and verifies every Kafka record (contracts'
     * EventSignatures).
     */
    String eventKey();

    /**
     * Event consumers: a record whose processing fails transiently (database, broker) is processed again with
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

    /** Where and how attempts run as Kubernetes Jobs. */
    interface Kubernetes {
        /** Namespace of the Jobs; the client's current namespace when unset. */
        Optional<String> namespace();

        /** Image of the trainer, run in attempt mode. */
        @WithDefault("savepoint/trainer:latest")
        String image();

        /** Service account the Jobs' pods run as. */
        @WithDefault("savepoint-trainer")
        String serviceAccount();

        /**
         * Secret with the S3 credentials the attempt may use (a key limited to the checkpoint prefix), under the keys
         * {@code savepoint-s3-access-key} and {@code savepoint-s3-secret-key}; the Job refers to it, never copies it.
         */
        @WithDefault("savepoint-trainer-s3")
        String s3Secret();

        /** S3 endpoint the attempts write checkpoints to, as their pods reach it (e.g. {@code http://minio:9000});
         *  required with the kubernetes launcher. */
        Optional<String> s3Endpoint();

        /** Bucket the attempts write checkpoints to (checkpoint-service's). */
        @WithDefault("savepoint")
        String s3Bucket();

        /** Kafka bootstrap servers as the attempts' pods reach them; default: this service's own. */
        Optional<String> kafkaBootstrap();

        /**
         * Grace period between SIGTERM and SIGKILL of an attempt pod: time to finish the step it is in and write and
         * upload the final checkpoint (the attempt stops at the next step boundary, then checkpoints). Raise it for
         * runs whose step or checkpoint takes longer; a command run adds {@link #finalUploadSeconds}.
         */
        @WithDefault("60")
        long terminationGraceSeconds();

        /**
         * The attempt Job template (deploy/kubernetes/base/attempt-job.yaml, mounted from the ConfigMap
         * {@code savepoint-attempt-job}); unset: the copy of that file packaged in this service.
         */
        Optional<String> jobTemplate();

        /** The Jobs' {@code activeDeadlineSeconds}: how long an attempt may run in all; unset: no limit. */
        Optional<Long> activeDeadlineSeconds();

        /**
         * The Jobs' {@code ttlSecondsAfterFinished}: Kubernetes deletes a finished attempt's Job and pod after it; its
         * failure is reported long before (the launcher watches Jobs).
         */
        @WithDefault("86400")
        long ttlSecondsAfterFinished();

        /**
         * Time added to a command run's grace period for its watch sidecar's final upload, which starts only once the
         * trainer container has ended (its state folders may be gigabytes).
         */
        @WithDefault("120")
        long finalUploadSeconds();
    }
}
