package dev.savepoint.trainer.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.Topics;
import dev.savepoint.contracts.events.AttemptSucceeded;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.contracts.events.Heartbeat;
import dev.savepoint.contracts.events.SavepointEvent;
import dev.savepoint.stack.KafkaTestClient;
import dev.savepoint.stack.KafkaUsers;
import dev.savepoint.stack.LocalStack;
import dev.savepoint.stack.Ports;
import dev.savepoint.stack.StackSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attempt's events through a broker outage, against a private real broker that the test SIGKILLs and starts again
 * on the same port and log dir: the sender never blocks the loop, every checkpoint event and the final event arrive
 * exactly once and in order, and heartbeats arrive in order with the newest never lost (older ones may be replaced
 * while the broker is away).
 */
class KafkaEventSinkOutageTest {

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final int CHECKPOINT_EVERY = 50;

    @TempDir
    Path root;

    @Test
    void eventsSentWhileTheBrokerIsDownArriveOnceInOrderWhenItIsBack() throws Exception {
        StackSettings settings = StackSettings.fromEnvironment().withRoot(root)
                .withKafkaPorts(Ports.freePort("127.0.0.1"), Ports.freePort("127.0.0.1"));
        LocalStack broker = new LocalStack(settings);
        String runId = "outage-" + UUID.randomUUID();
        List<Long> checkpointsSent = new ArrayList<>();
        Loop loop = new Loop(runId, checkpointsSent);
        try {
            broker.startKafka();
            long replaced;
            double upRate;
            double downRate;
            double backRate;
            try (KafkaEventSink sink = new KafkaEventSink(broker.kafkaClientConfig(KafkaUsers.ATTEMPT), null)) {
                upRate = loop.runFor(sink, Duration.ofSeconds(3), () -> true);
                // The first events are through: metadata is known, as in an attempt that has been running a while.
                KafkaTestClient.await(DEADLINE, "the first events acknowledged", () -> sink.pending() == 0);

                assertTrue(broker.killKafka(), "the private broker was not running");
                // Down long enough to fill the producer's window, so that waiting heartbeats get replaced.
                downRate = loop.runFor(sink, Duration.ofSeconds(3),
                        () -> sink.pending() > KafkaEventSink.MAX_UNACKNOWLEDGED && sink.heartbeatsReplaced() > 0);
                replaced = sink.heartbeatsReplaced();

                broker.startKafka();
                backRate = loop.runFor(sink, Duration.ofSeconds(3), () -> true);
                sink.send(Topics.RUNS, AttemptSucceeded.of(runId, 1, loop.step, "sha", 0.5, checkpointsSent.size(), 0));
                sink.flush();
                assertEquals(0, sink.pending(), "events still unacknowledged after the flush");
            }
            System.out.printf("KafkaEventSinkOutageTest: steps/s (one event per step) with the broker up %.0f, down "
                    + "%.0f, back up %.0f; %d heartbeats replaced while it was down%n", upRate, downRate, backRate,
                    replaced);

            List<SavepointEvent> checkpoints = read(broker, Topics.CHECKPOINTS, runId, checkpointsSent.size());
            assertEquals(checkpointsSent, checkpoints.stream().map(e -> ((CheckpointWritten) e).step()).toList(),
                    "every CheckpointWritten once, in order");

            List<SavepointEvent> runs = read(broker, Topics.RUNS, runId, e -> e instanceof AttemptSucceeded);
            SavepointEvent last = runs.get(runs.size() - 1);
            assertTrue(last instanceof AttemptSucceeded, "the last event is " + last.type());
            List<Long> beats = runs.stream().filter(Heartbeat.class::isInstance).map(e -> ((Heartbeat) e).step())
                    .toList();
            for (int i = 1; i < beats.size(); i++) {
                assertTrue(beats.get(i) > beats.get(i - 1), "heartbeat steps out of order or repeated at " + i + ": "
                        + beats.get(i - 1) + " then " + beats.get(i));
            }
            assertEquals(loop.step, beats.get(beats.size() - 1), "the newest heartbeat was lost");
            assertEquals(1, runs.stream().filter(AttemptSucceeded.class::isInstance).count());
        } finally {
            broker.down(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        }
    }

    /** A stand-in for the training loop: a step of work, a heartbeat per step, a checkpoint event every 50 steps. */
    private static final class Loop {
        private final String runId;
        private final List<Long> checkpointsSent;
        private final byte[] work = new byte[16 * 1024];
        long step;

        Loop(String runId, List<Long> checkpointsSent) {
            this.runId = runId;
            this.checkpointsSent = checkpointsSent;
        }

        /** Steps for at least {@code minimum} and until {@code done} holds (or the deadline); returns steps/s. */
        double runFor(KafkaEventSink sink, Duration minimum, BooleanSupplier done) throws Exception {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long t0 = System.nanoTime();
            long s0 = step;
            long deadline = t0 + DEADLINE.toNanos();
            while (System.nanoTime() - t0 < minimum.toNanos() || !done.getAsBoolean()) {
                assertTrue(System.nanoTime() < deadline, "the loop's condition did not hold within " + DEADLINE);
                work[(int) (step % work.length)] ^= sha.digest(work)[0];
                step++;
                sink.send(Topics.RUNS, Heartbeat.of(runId, 1, step, 0, step, 0.1, 0.5, null, 0, 1L));
                if (step % CHECKPOINT_EVERY == 0) {
                    checkpointsSent.add(step);
                    sink.send(Topics.CHECKPOINTS, CheckpointWritten.of(runId, 1, "c-" + step, step, 0, step,
                            "savepoint", "runs/" + runId + "/" + step, List.of(), Map.of()));
                }
            }
            return (step - s0) / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static List<SavepointEvent> read(LocalStack broker, String topic, String runId, int count) {
        List<SavepointEvent> events = read(broker, topic, runId, e -> false, count);
        assertEquals(count, events.size(), "events of " + runId + " on " + topic);
        return events;
    }

    private static List<SavepointEvent> read(LocalStack broker, String topic, String runId,
            java.util.function.Predicate<SavepointEvent> last) {
        List<SavepointEvent> events = read(broker, topic, runId, last, Integer.MAX_VALUE);
        assertTrue(!events.isEmpty() && last.test(events.get(events.size() - 1)), "no final event of " + runId
                + " on " + topic + " within " + DEADLINE);
        return events;
    }

    /**
     * The run's events on {@code topic} from its beginning until {@code count} were read or {@code last} accepted
     * one; after that, one more poll to see any duplicate the broker holds behind them.
     */
    private static List<SavepointEvent> read(LocalStack broker, String topic, String runId,
            java.util.function.Predicate<SavepointEvent> last, int count) {
        Map<String, Object> config = new java.util.HashMap<>(broker.kafkaAdminConfig());
        config.putAll(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "outage-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<SavepointEvent> events = new ArrayList<>();
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            boolean complete = false;
            while (System.nanoTime() < deadline) {
                boolean polledAfterComplete = complete;
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (runId.equals(r.key())) {
                        events.add(Json.event(r.value()));
                    }
                }
                if (polledAfterComplete) {
                    break;
                }
                complete = events.size() >= count || (!events.isEmpty() && last.test(events.get(events.size() - 1)));
            }
            return events;
        }
    }
}
