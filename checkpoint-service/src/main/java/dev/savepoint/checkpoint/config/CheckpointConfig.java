package dev.savepoint.checkpoint.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Typed configuration of checkpoint-service. */
@ConfigMapping(prefix = "savepoint")
public interface CheckpointConfig {

    /** Where checkpoint objects are stored. */
    S3 s3();

    /**
     * The stack's service token (SAVEPOINT_SERVICE_TOKEN, role trainer), passed to every service alike;
     * checkpoint-service calls no other service, so it is accepted here and not used.
     */
    Optional<String> serviceToken();

    /** The catalog database. */
    Database database();

    /** How written checkpoints are checked before they are committed. */
    Verify verify();

    /** How event consumers treat records whose processing fails. */
    Consumer consumer();

    /**
     * The services' event key K (environment {@code SAVEPOINT_EVENT_KEY}, at least 32 characters; the local stack
     * generates one, a cluster takes it from a Secret): signs and verifies every Kafka record (contracts'
     * EventSignatures).
     */
    String eventKey();

    /** Retention: the garbage collector of committed checkpoints. */
    Gc gc();

    /** The sweeper of objects that no committed checkpoint refers to. */
    Sweeper sweeper();

    /** Leases that hold a checkpoint while a restore reads it. */
    Lease lease();

    /** The history API. */
    Api api();

    /** The processed-event log that makes the consumers idempotent. */
    ProcessedEvents processedEvents();

    /**
     * The periodic jobs run once per cluster however many replicas (contracts ClusterJobs); a round whose replica
     * died (never finished) is run again by another after this long.
     */
    @WithName("cluster-jobs.stale-after")
    @WithDefault("30m")
    java.time.Duration clusterJobsStaleAfter();

    /** The web console. */
    Console console();

    /** The S3-compatible object store. */
    interface S3 {
        /** Endpoint URL, e.g. {@code http://127.0.0.1:9000}. */
        @WithDefault("http://127.0.0.1:9000")
        String endpoint();

        /** Access key id; no default outside the dev and test profiles (env SAVEPOINT_S3_ACCESS_KEY). */
        String accessKey();

        /** Secret key; no default outside the dev and test profiles (env SAVEPOINT_S3_SECRET_KEY). */
        String secretKey();

        /** Bucket holding every run's checkpoints. */
        @WithDefault("savepoint")
        String bucket();
    }

    /** The PostgreSQL catalog (connection settings are Quarkus's {@code quarkus.datasource.*}). */
    interface Database {
        /**
         * The password Quarkus's datasource uses ({@code quarkus.datasource.password}, env
         * QUARKUS_DATASOURCE_PASSWORD); required here so that a prod start without it stops at once naming the
         * variable, not at the first query.
         */
        String password();
    }

    /** Manifest verification. */
    interface Verify {
        /** Check each written checkpoint's manifest and objects in S3 before committing it (off: trust the event). */
        @WithDefault("true")
        boolean enabled();

        /** Checkpoints up to this many bytes are re-hashed in full (SHA-256); larger ones get size checks only. */
        @WithDefault("1073741824")
        long fullHashMaxBytes();
    }

    /**
     * Event consumers: a record whose processing fails transiently (database, S3, broker) is processed again with
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

    /** Retention garbage collection. */
    interface Gc {
        /** Period of the scheduled collection over every run (it also runs after each commit). */
        @WithDefault("5m")
        String interval();

        /** Only runs whose id starts with this are collected; unset means every run. */
        Optional<String> runIdPrefix();
    }

    /** Orphan sweeper. */
    interface Sweeper {
        /** Whether the scheduled sweep runs. */
        @WithDefault("true")
        boolean enabled();

        /** Period of the scheduled sweep. */
        @WithDefault("15m")
        String interval();

        /** An orphan object younger than this is left alone: its checkpoint may still be being written. */
        @WithDefault("1h")
        Duration grace();

        /** Key prefix the scheduled sweep covers. */
        @WithDefault("runs/")
        String prefix();
    }

    /** Restore leases. */
    interface Lease {
        /** Longest lease a client may ask for, in seconds. */
        @WithDefault("86400")
        int maxTtlSeconds();
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
        String pruneInterval();

        /** Ids deleted per transaction, so pruning holds few row locks at a time. */
        @WithDefault("1000")
        int pruneBatch();
    }

    /** History API paging. */
    interface Api {
        /** Page size when the request gives none. */
        @WithDefault("50")
        int defaultPageSize();

        /** Largest page size a request may ask for. */
        @WithDefault("500")
        int maxPageSize();
    }

    /** The web console. */
    interface Console {
        /**
         * scheduler-service's base URL: the console reads runs (restarts, goodput, lineage) and submits, cancels,
         * resumes and forks there, with the signed-in user's own credentials (SAVEPOINT_CONSOLE_SCHEDULER_URL); or its
         * replicas' URLs separated by commas, tried in turn when one cannot be reached or answers 502/503.
         */
        @WithDefault("http://127.0.0.1:8083")
        String schedulerUrl();

        /** How long the console waits for scheduler-service before it shows a page without its numbers. */
        @WithDefault("2s")
        Duration schedulerTimeout();

        /** Runs per page of the runs list. */
        @WithDefault("50")
        int runsPerPage();

        /** Checkpoints per page of a run's checkpoint table (the chart always shows them all). */
        @WithDefault("100")
        int checkpointsPerPage();

        /** How often the live runs list looks for changes (server-sent events). */
        @WithDefault("2s")
        Duration livePeriod();
    }
}
