package dev.savepoint.trainer.runner;

import dev.savepoint.contracts.EventSignatures;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.Heartbeat;
import dev.savepoint.contracts.events.SavepointEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Events to Kafka keyed by run id, with acks=all and idempotence so that a run's events stay ordered and whole, and
 * buffered through a broker outage of any length: nothing is given up while the attempt lives.
 *
 * <p>{@link #send} only appends to an in-memory queue and never blocks its caller (the training loop, the heartbeat
 * and the checkpoint writer), whether or not a broker answers. One sender thread hands the queue to the producer in
 * order, at most {@link #MAX_UNACKNOWLEDGED} records ahead of the broker's acknowledgements. While the broker is down
 * the acknowledgements stop, so the queue grows instead of the producer's buffer, and there a newer heartbeat of the
 * same attempt replaces the one still waiting (only the newest progress matters). Every other event (AttemptStarted,
 * CheckpointWritten, AttemptSucceeded, AttemptFailed ...) waits, in order, until the broker is back.
 *
 * <p>Every record is signed with the attempt's secret (contracts' EventSignatures, {@code SAVEPOINT_ATTEMPT_SECRET}):
 * the services refuse an attempt's event without it. A sink without a secret (a test of the runner alone) sends
 * unsigned records, which only a reader that does not verify accepts.
 */
public final class KafkaEventSink implements EventSink {

    /** Records handed to the producer and not yet acknowledged; past this the queue holds them (and coalesces). */
    static final int MAX_UNACKNOWLEDGED = 64;
    /** How long {@link #flush} waits for the broker at the end of an attempt before it gives up on what is left. */
    static final Duration DEFAULT_FLUSH_DEADLINE = Duration.ofMinutes(10);

    private final KafkaProducer<String, byte[]> producer;
    private final Duration flushDeadline;
    private final String attemptSecret;
    private final Semaphore window = new Semaphore(MAX_UNACKNOWLEDGED);
    private final Deque<Pending> queue = new ArrayDeque<>(); // guarded by this
    private final Thread sender;
    private int unacknowledged; // guarded by this
    private long heartbeatsReplaced; // guarded by this
    private boolean closed; // guarded by this
    private boolean brokerSilent; // sender thread only: logs an outage once, and its end

    private record Pending(String topic, SavepointEvent event) {
        boolean replacedBy(String otherTopic, SavepointEvent newer) {
            return event instanceof Heartbeat && newer instanceof Heartbeat && topic.equals(otherTopic)
                    && event.runId().equals(newer.runId()) && event.attempt() == newer.attempt();
        }
    }

    /** A sink without SASL and unsigned: for a broker that does not authenticate (tests of the runner alone). */
    public KafkaEventSink(String bootstrap) {
        this(Map.of("bootstrap.servers", bootstrap), null, DEFAULT_FLUSH_DEADLINE);
    }

    /**
     * @param client        bootstrap servers and the attempt's Kafka user ({@link RunnerConfig#kafkaClient()})
     * @param attemptSecret the attempt's secret its events are signed with; null sends them unsigned
     */
    public KafkaEventSink(Map<String, ?> client, String attemptSecret) {
        this(client, attemptSecret, DEFAULT_FLUSH_DEADLINE);
    }

    public KafkaEventSink(String bootstrap, String attemptSecret, Duration flushDeadline) {
        this(Map.of("bootstrap.servers", bootstrap), attemptSecret, flushDeadline);
    }

    public KafkaEventSink(Map<String, ?> client, String attemptSecret, Duration flushDeadline) {
        this.flushDeadline = flushDeadline;
        this.attemptSecret = attemptSecret == null || attemptSecret.isBlank() ? null : attemptSecret;
        if (this.attemptSecret == null) {
            System.err.println("savepoint: no " + dev.savepoint.contracts.runtime.AttemptEnvironment.ATTEMPT_SECRET
                    + " in the environment: events are sent unsigned and the services will refuse them");
        }
        this.producer = new KafkaProducer<>(producerConfig(client), new StringSerializer(),
                new ByteArraySerializer());
        this.sender = new Thread(this::sendQueued, "event-sender");
        sender.setDaemon(true);
        sender.start();
    }

    /**
     * The producer's settings. A record is never expired ({@code delivery.timeout.ms} at its maximum, retries
     * unlimited): what bounds memory during an outage is {@link #MAX_UNACKNOWLEDGED} and the heartbeat coalescing,
     * not giving events up. {@code max.block.ms} bounds only the sender thread's wait for metadata, after which it
     * tries the same record again; no caller of {@link #send} ever waits for it.
     */
    static Map<String, Object> producerConfig(Map<String, ?> client) {
        Map<String, Object> c = new LinkedHashMap<>(client); // bootstrap servers and SASL, if any

        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        // 64 unacknowledged events of a few KiB at most: a small buffer is plenty and never the limit.
        c.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 8L * 1024 * 1024);
        c.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        c.put(ProducerConfig.CLIENT_ID_CONFIG, "savepoint-attempt");
        return c;
    }

    @Override
    public void send(String topic, SavepointEvent event) {
        synchronized (this) {
            if (closed) {
                System.err.println("savepoint: " + event.type() + " " + event.id() + " not sent: the event sink is "
                        + "already closed");
                return;
            }
            if (queue.removeIf(p -> p.replacedBy(topic, event))) {
                heartbeatsReplaced++;
            }
            queue.addLast(new Pending(topic, event));
            notifyAll();
        }
    }

    /** Heartbeats that a newer one replaced before they could be handed to the producer (the broker was away). */
    synchronized long heartbeatsReplaced() {
        return heartbeatsReplaced;
    }

    /** Events not yet acknowledged by the broker: queued plus handed to the producer. */
    synchronized int pending() {
        return queue.size() + unacknowledged;
    }

    /** The sender thread: hands the queue's head to the producer once the window has room, in order. */
    private void sendQueued() {
        try {
            while (true) {
                window.acquire();
                Pending next;
                synchronized (this) {
                    while (queue.isEmpty() && !closed) {
                        wait();
                    }
                    if (queue.isEmpty()) {
                        return;
                    }
                    next = queue.pollFirst();
                    unacknowledged++;
                }
                if (!handOver(next)) {
                    synchronized (this) {
                        unacknowledged--;
                        if (!queue.stream().anyMatch(p -> p.replacedBy(next.topic(), next.event()))) {
                            queue.addFirst(next); // the same record again, still before every later one
                        }
                    }
                    window.release();
                }
            }
        } catch (InterruptedException | InterruptException e) {
            Thread.currentThread().interrupt(); // close: what is still queued is reported there
        }
    }

    /**
     * Returns false when the producer could not take the record yet: no broker metadata within
     * {@code max.block.ms}, which the producer reports as a TimeoutException to the callback on this thread before
     * {@code send} returns (records it took never expire). The caller tries the same record again.
     */
    private boolean handOver(Pending p) throws InterruptedException {
        SavepointEvent event = p.event();
        boolean[] notTaken = new boolean[1];
        try {
            producer.send(record(p.topic(), event), (meta, error) -> {
                if (error instanceof TimeoutException && Thread.currentThread() == sender) {
                    notTaken[0] = true;
                    return;
                }
                if (error != null) { // not an outage (records never expire): a record refused for good
                    System.err.println("savepoint: could not deliver " + event.type() + " " + event.id() + ": "
                            + error);
                }
                acknowledged();
            });
        } catch (InterruptException e) {
            throw e;
        } catch (RuntimeException e) { // e.g. a record the producer refuses before sending it: never retried
            System.err.println("savepoint: could not send " + event.type() + " " + event.id() + ": " + e);
            acknowledged();
            return true;
        }
        if (notTaken[0]) {
            if (!brokerSilent) {
                brokerSilent = true;
                System.err.println("savepoint: Kafka does not answer; events wait in memory and are sent when it is "
                        + "back, training goes on");
            }
            Thread.sleep(200);
            return false;
        }
        if (brokerSilent) {
            brokerSilent = false;
            System.err.println("savepoint: Kafka answers again; sending the " + pending() + " waiting events");
        }
        return true;
    }

    /** The event as a record keyed by its run id, signed when the sink has the attempt's secret. */
    ProducerRecord<String, byte[]> record(String topic, SavepointEvent event) {
        byte[] value = Json.write(event);
        if (attemptSecret == null) {
            return new ProducerRecord<>(topic, event.runId(), value);
        }
        byte[] signature = EventSignatures.signAsAttempt(attemptSecret, value)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, null, event.runId(), value,
                List.of(new RecordHeader(EventSignatures.HEADER, signature)));
    }

    private void acknowledged() {
        synchronized (this) {
            unacknowledged--;
            notifyAll();
        }
        window.release();
    }

    /**
     * Blocks until every event sent so far is acknowledged, or the flush deadline passed (the broker stayed away);
     * then it names how many are still waiting.
     */
    @Override
    public void flush() {
        awaitAcknowledged(flushDeadline);
    }

    /** Waits a little for what is still queued (a flush that returned already waited long), then stops sending. */
    @Override
    public void close() {
        awaitAcknowledged(Duration.ofSeconds(10));
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        sender.interrupt();
        try {
            sender.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
    }

    private synchronized void awaitAcknowledged(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (queue.size() + unacknowledged > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    System.err.println("savepoint: " + (queue.size() + unacknowledged) + " events still not "
                            + "acknowledged by Kafka after " + timeout.toSeconds() + " s; giving up on them");
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
