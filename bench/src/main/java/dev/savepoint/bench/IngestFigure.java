package dev.savepoint.bench;

import dev.savepoint.contracts.EventSignatures;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.contracts.events.CheckpointWritten;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code ingest}: CheckpointWritten events per second that checkpoint-service turns into catalog rows (consumed,
 * applied in one transaction per batch, outcome published, retention run, offsets committed), from the first event
 * sent to the last row committed, against the rate at which the producer alone hands the same events to the broker
 * (acks=all, idempotent, signed) in the same run. A warm-up burst first, which also proves the consumer is assigned.
 */
final class IngestFigure implements Figure {

    static final double TARGET = 5_000;
    private static final int RUNS = 100;

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public Result measure(BenchContext context) throws Exception {
        BenchService service = context.checkpointService();
        int events = context.quick() ? 20_000 : 100_000;
        try (Connection db = service.connect(); KafkaProducer<String, byte[]> producer = producer(context)) {
            EventSignatures signatures = new EventSignatures(context.stack().eventKey());
            Burst warmUp = burst(context, "warm", 4_000);
            long w0 = System.nanoTime();
            warmUp.send(producer, signatures).sentSeconds(w0);
            warmUp.await(db, w0, 300);
            context.log("warm-up: %,d events committed", warmUp.events.size());
            Burst measured = burst(context, "ingest", events);
            long t0 = System.nanoTime();
            double producerSeconds = measured.send(producer, signatures).sentSeconds(t0);
            double ingestSeconds = measured.await(db, t0, 900) / 1e3;
            double rate = events / ingestSeconds;
            double producerRate = events / producerSeconds;
            context.log("%,d events: committed in %.2f s (%,.0f/s), sent in %.2f s (%,.0f/s)", events, ingestSeconds,
                    rate, producerSeconds, producerRate);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("events", events);
            details.put("runs", RUNS);
            details.put("seconds to the last committed row", ingestSeconds);
            details.put("seconds to send (producer alone)", producerSeconds);
            details.put("rows by state", measured.states(db));
            details.put("storage verification", "off (the events name no stored objects); with it on, each event "
                    + "also costs a manifest GET, a HEAD and a full GET per file, outside the transaction");
            return Result.of(name(), rate, producerRate, "events/s", TARGET, true,
                    "CheckpointWritten events committed to the catalog per second by checkpoint-service (batches of up "
                            + "to 500 in one transaction, outcome events published, retention per run), against "
                            + "the producer alone sending the same events.",
                    plot(rate, producerRate), details)
                    .limitedBy(String.format("the producer alone reaches %,.0f events/s on this machine now (load "
                            + "average %s); checkpoint-service takes %.3f ms per event (%.2f s for %,d), its "
                            + "consumer thread busy with the batch's statements, outcome events and signatures",
                            producerRate, Cpu.loadAverage(), ingestSeconds * 1e3 / events, ingestSeconds, events));
        }
    }

    private static Map<String, Double> plot(double rate, double producerRate) {
        Map<String, Double> plot = new LinkedHashMap<>();
        plot.put("checkpoint-service ingest", rate);
        plot.put("producer alone", producerRate);
        return plot;
    }

    private static KafkaProducer<String, byte[]> producer(BenchContext context) {
        Map<String, Object> c = new HashMap<>(context.stack().kafkaAdminConfig());
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(c, new StringSerializer(), new ByteArraySerializer());
    }

    private static Burst burst(BenchContext context, String label, int count) {
        String tag = label + "-" + UUID.randomUUID().toString().substring(0, 8);
        String bucket = context.stack().settings().bucket();
        List<CheckpointWritten> events = new ArrayList<>(count);
        List<String> runs = new ArrayList<>();
        for (int r = 0; r < RUNS; r++) {
            runs.add("bench-" + tag + "-" + r);
        }
        for (int i = 0; i < count; i++) {
            String run = runs.get(i % RUNS);
            long step = (i / RUNS + 1) * 10L;
            events.add(CheckpointWritten.of(run, 1, run + "-" + step, step, 0, step * 32, bucket,
                    CheckpointManifest.prefix(run, step, 1), List.of(new ManifestFile("model.safetensors", 4096,
                            "ab".repeat(32))), Map.of("loss", 1.0 / step)));
        }
        return new Burst(events, runs);
    }

    /** A burst of events over RUNS runs of their own. */
    private record Burst(List<CheckpointWritten> events, List<String> runs) {

        Sent send(KafkaProducer<String, byte[]> producer, EventSignatures signatures) {
            List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
            for (CheckpointWritten e : events) {
                byte[] value = Json.write(e);
                acks.add(producer.send(new ProducerRecord<>(BenchService.TOPIC, null, e.runId(), value,
                        signatures.headers(e, value))));
            }
            return new Sent(acks);
        }

        /** Waits until every event has its row; the milliseconds since {@code t0}, when the first was sent. */
        double await(Connection db, long t0, int timeoutSeconds) throws Exception {
            long deadline = t0 + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            long rows = 0;
            while (System.nanoTime() < deadline) {
                rows = rows(db, "select count(*) from checkpoints where run_id = any(?)");
                if (rows >= events.size()) {
                    return Numbers.millisSince(t0);
                }
                Thread.sleep(20); // polling the catalog: nothing to await but the rows themselves
            }
            throw new IllegalStateException("only " + rows + " of " + events.size() + " events were committed within "
                    + timeoutSeconds + " s; see .savepoint/bench/logs/checkpoint-service.log");
        }

        String states(Connection db) throws Exception {
            try (PreparedStatement q = db.prepareStatement("select state, count(*) from checkpoints where run_id = "
                    + "any(?) group by state order by state")) {
                q.setArray(1, db.createArrayOf("text", runs.toArray()));
                StringBuilder s = new StringBuilder();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        s.append(s.length() == 0 ? "" : ", ").append(rs.getString(1)).append(' ').append(rs.getLong(2));
                    }
                }
                return s.toString();
            }
        }

        private long rows(Connection db, String sql) throws Exception {
            try (PreparedStatement q = db.prepareStatement(sql)) {
                Array array = db.createArrayOf("text", runs.toArray());
                q.setArray(1, array);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }
    }

    /** The acks of a burst in flight. */
    private record Sent(List<Future<RecordMetadata>> acks) {

        /** Waits for every ack; the seconds since {@code t0}. */
        double sentSeconds(long t0) throws Exception {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(120, TimeUnit.SECONDS);
            }
            return (System.nanoTime() - t0) / 1e9;
        }
    }
}
