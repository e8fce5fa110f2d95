package dev.savepoint.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each part of the real local stack answers a real client over the network. */
class StackRoundTripTest {

    static LocalStack stack;
    static Map<String, String> config;

    @BeforeAll
    static void stack() {
        stack = TestStack.shared();
        config = stack.serviceConfig();
    }

    @Test
    void kafkaRecordProducedIsConsumed() throws Exception {
        String topic = "roundtrip-" + UUID.randomUUID();
        String value = "hello " + UUID.randomUUID();
        try (var producer = new KafkaProducer<String, String>(KafkaTestClient.clientConfig(Map.of(
                ProducerConfig.ACKS_CONFIG, "all")), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "run-1", value)).get();
        }
        try (var consumer = new KafkaConsumer<String, String>(KafkaTestClient.clientConfig(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "roundtrip-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")), new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            assertTrue(Ports.await(Duration.ofSeconds(30), () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return !seen.isEmpty();
            }), "no record consumed within 30 s");
            assertEquals("run-1", seen.get(0).key());
            assertEquals(value, seen.get(0).value());
        }
    }

    @Test
    void postgresRowWrittenIsReadBack() throws Exception {
        try (Connection c = DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
                Statement s = c.createStatement()) {
            String table = "roundtrip_" + UUID.randomUUID().toString().replace("-", "");
            s.execute("create temporary table " + table + " (id int primary key, name text)");
            s.execute("insert into " + table + " values (7, 'seven')");
            try (ResultSet rs = s.executeQuery("select name from " + table + " where id = 7")) {
                assertTrue(rs.next());
                assertEquals("seven", rs.getString(1));
            }
        }
    }

    @Test
    void s3ObjectPutIsListedReadAndDeleted() throws Exception {
        MinioClient client = client(config.get("savepoint.s3.secret-key"));
        String bucket = config.get("savepoint.s3.bucket");
        String prefix = "roundtrip/" + UUID.randomUUID() + "/";
        byte[] body = "checkpoint bytes".getBytes(StandardCharsets.UTF_8);
        client.putObject(PutObjectArgs.builder().bucket(bucket).object(prefix + "a.bin")
                .stream(new ByteArrayInputStream(body), body.length, -1).build());

        List<String> listed = StreamSupport.stream(client.listObjects(ListObjectsArgs.builder().bucket(bucket)
                .prefix(prefix).recursive(true).build()).spliterator(), false)
                .map(r -> {
                    try {
                        return r.get().objectName();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
        assertEquals(List.of(prefix + "a.bin"), listed);
        try (var in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(prefix + "a.bin").build())) {
            assertEquals("checkpoint bytes", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(prefix + "a.bin").build());
        var gone = assertThrows(ErrorResponseException.class,
                () -> client.statObject(StatObjectArgs.builder().bucket(bucket).object(prefix + "a.bin").build()));
        assertEquals("NoSuchKey", gone.errorResponse().code());
    }

    @Test
    void s3RequestSignedWithWrongSecretIsRefused() {
        MinioClient client = client("not-the-secret");
        byte[] body = "x".getBytes(StandardCharsets.UTF_8);
        var refused = assertThrows(ErrorResponseException.class, () -> client.putObject(PutObjectArgs.builder()
                .bucket(config.get("savepoint.s3.bucket")).object("forged/" + UUID.randomUUID())
                .stream(new ByteArrayInputStream(body), body.length, -1).build()));
        assertEquals(403, refused.response().code());
        assertFalse(refused.errorResponse().code().isBlank());
    }

    /** S3Proxy has one identity and no anonymous access: an unsigned listing, stat or read of an object is refused. */
    @Test
    void s3AnonymousRequestsAreRefused() throws Exception {
        MinioClient anonymous = MinioClient.builder().endpoint(config.get("savepoint.s3.endpoint")).build();
        String bucket = config.get("savepoint.s3.bucket");
        String key = "runs/anonymous-" + UUID.randomUUID() + "/manifest.json";
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        client(config.get("savepoint.s3.secret-key")).putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                .stream(new ByteArrayInputStream(body), body.length, -1).build());
        var listing = assertThrows(ErrorResponseException.class, () -> anonymous.listObjects(ListObjectsArgs.builder()
                .bucket(bucket).prefix("runs/").build()).iterator().next().get());
        assertEquals(403, listing.response().code());
        var read = assertThrows(ErrorResponseException.class, () -> anonymous.statObject(StatObjectArgs.builder()
                .bucket(bucket).object(key).build()));
        assertEquals(403, read.response().code());
        var get = assertThrows(ErrorResponseException.class, () -> anonymous.getObject(GetObjectArgs.builder()
                .bucket(bucket).object(key).build()).readAllBytes());
        assertEquals(403, get.response().code());
    }

    private static MinioClient client(String secret) {
        return MinioClient.builder().endpoint(config.get("savepoint.s3.endpoint"))
                .credentials(config.get("savepoint.s3.access-key"), secret).build();
    }
}
