package dev.savepoint.checkpoint.storage;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import io.minio.BucketExistsArgs;
import io.minio.MinioClient;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when the checkpoint bucket answers with these credentials. */
@Readiness
@ApplicationScoped
public class StorageReadinessCheck implements HealthCheck {

    private final MinioClient client;
    private final CheckpointConfig config;

    public StorageReadinessCheck(MinioClient client, CheckpointConfig config) {
        this.client = client;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        String bucket = config.s3().bucket();
        var response = HealthCheckResponse.named("s3").withData("endpoint", config.s3().endpoint())
                .withData("bucket", bucket);
        try {
            boolean exists = client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
            return (exists ? response.up() : response.down().withData("error", "bucket does not exist")).build();
        } catch (Exception e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
