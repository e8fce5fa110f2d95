package dev.savepoint.trainer.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.trainer.engine.DType;
import dev.savepoint.trainer.engine.HostTensor;
import dev.savepoint.trainer.engine.SafetensorsWriter;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Transfers of objects of several parts against the real S3 server (S3Proxy, which checks every signature): a
 * multipart upload with parallel parts stores exactly the bytes it was given and returns their SHA-256, and parallel
 * ranged GETs put exactly those bytes back into the tensors.
 */
class MultipartTransferTest {

    static final int PART = (int) TransferSettings.MIN_PART_SIZE;

    final String prefix = "transfer-test/" + UUID.randomUUID() + "/";
    final RunnerConfig config = RunnerConfig.from(AttemptProcess.env());
    final CheckpointStorage storage = new CheckpointStorage(new RunnerConfig(config.kafkaBootstrap(),
            config.kafkaUser(), config.kafkaPassword(), config.s3Endpoint(), config.s3AccessKey(),
            config.s3SecretKey(), config.bucket(), config.checkpointServiceUrl(), config.supervisorUrl(),
            config.retry(), config.faults(), config.trainerGraceMillis(), new TransferSettings(1L << 30, PART, 3)));

    @Test
    void multipartUploadOfSeveralPartsStoresTheSameBytesAndReturnsTheirHash() throws Exception {
        byte[] bytes = random(3 * PART + 12_345, 1);
        String sha = storage.put(prefix + "blob", bytes.length, new ByteArrayInputStream(bytes));

        assertEquals(sha256(bytes), sha);
        assertEquals(sha256(bytes), sha256(storage.read(prefix + "blob")));
        assertTrue(etag(prefix + "blob").endsWith("-4"), "not a 4-part upload: " + etag(prefix + "blob"));
    }

    @Test
    void rangedDownloadFillsTensorsThatStraddlePartBoundariesWithTheStoredBytes() throws Exception {
        Map<String, HostTensor> tensors = new HashMap<>();
        tensors.put("a", new HostTensor(DType.U8, new long[] {PART + 7}, random(PART + 7, 2)));
        tensors.put("b", new HostTensor(DType.U8, new long[] {3}, random(3, 3)));
        tensors.put("c", new HostTensor(DType.U8, new long[] {2 * PART - 1}, random(2 * PART - 1, 4)));
        var file = SafetensorsWriter.serialize(tensors, Map.of("k", "v"));
        String sha = storage.put(prefix + "t.safetensors", file.size(), file.bytes());

        var read = storage.rangedDownload().read(prefix + "t.safetensors", new ManifestFile("t.safetensors",
                file.size(), sha));

        ShardedCheckpointTest.assertSameTensors(tensors, read.tensors());
        assertEquals(Map.of("k", "v"), read.metadata());
    }

    @Test
    void aStreamShorterThanItsDeclaredSizeFailsTheUploadAndLeavesNoObject() throws Exception {
        byte[] bytes = random(2 * PART, 5);
        InputStream shortStream = new ByteArrayInputStream(bytes, 0, 2 * PART - 10);
        var e = assertThrows(java.io.IOException.class, () -> storage.put(prefix + "short", bytes.length, shortStream));
        assertTrue(e.getMessage().contains("10 bytes short"), e.getMessage());
        assertThrows(java.io.IOException.class, () -> storage.read(prefix + "short"));
        assertEquals(0, openUploads(prefix + "short"), "the failed multipart upload was not aborted");
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(CheckpointFiles.sha256().digest(bytes));
    }

    private String etag(String key) throws Exception {
        return client().statObject(io.minio.StatObjectArgs.builder().bucket(config.bucket()).object(key).build())
                .get().etag();
    }

    private int openUploads(String key) throws Exception {
        return client().listMultipartUploadsAsync(config.bucket(), null, null, null, null, null, key, null, null,
                null).get().result().uploads().size();
    }

    private io.minio.MinioAsyncClient client() {
        return io.minio.MinioAsyncClient.builder().endpoint(config.s3Endpoint())
                .credentials(config.s3AccessKey(), config.s3SecretKey()).build();
    }
}
