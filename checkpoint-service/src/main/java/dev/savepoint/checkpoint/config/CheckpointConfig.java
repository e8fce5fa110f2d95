package dev.savepoint.checkpoint.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed configuration of checkpoint-service. */
@ConfigMapping(prefix = "savepoint")
public interface CheckpointConfig {

    /** Where checkpoint objects are stored. */
    S3 s3();

    /** The S3-compatible object store. */
    interface S3 {
        /** Endpoint URL, e.g. {@code http://127.0.0.1:9000}. */
        @WithDefault("http://127.0.0.1:9000")
        String endpoint();

        /** Access key id. */
        String accessKey();

        /** Secret key. */
        String secretKey();

        /** Bucket holding every run's checkpoints. */
        @WithDefault("savepoint")
        String bucket();
    }
}
