package dev.savepoint.checkpoint.storage;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import io.minio.MinioClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Produces the one MinIO client of the service, configured from {@link CheckpointConfig}. */
@ApplicationScoped
public class StorageClientProducer {

    @Produces
    @ApplicationScoped
    MinioClient minioClient(CheckpointConfig config) {
        return MinioClient.builder().endpoint(config.s3().endpoint())
                .credentials(config.s3().accessKey(), config.s3().secretKey()).build();
    }
}
