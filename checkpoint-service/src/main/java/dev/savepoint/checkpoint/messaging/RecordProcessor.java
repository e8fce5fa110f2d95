package dev.savepoint.checkpoint.messaging;

import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.service.CatalogMetrics;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.SavepointEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Parses a record and hands the event to a handler. A poison record (bad JSON, unknown type, missing field) goes
 * straight to the DLQ; a failing handler is tried again a few times, then dead-lettered, so the partition goes on.
 */
@ApplicationScoped
public class RecordProcessor {

    private static final Logger LOG = Logger.getLogger(RecordProcessor.class);

    private final EventPublisher publisher;
    private final CheckpointConfig config;
    private final CatalogMetrics metrics;

    public RecordProcessor(EventPublisher publisher, CheckpointConfig config, CatalogMetrics metrics) {
        this.publisher = publisher;
        this.config = config;
        this.metrics = metrics;
    }

    public void process(ConsumerRecord<String, byte[]> record, Consumer<SavepointEvent> handler) {
        SavepointEvent event;
        try {
            event = Json.event(record.value() == null ? new byte[0] : record.value());
        } catch (RuntimeException e) {
            deadLetter(record, "poison record: " + e.getMessage());
            return;
        }
        int maxTries = Math.max(1, config.consumer().maxTries());
        for (int attempt = 1; ; attempt++) {
            try {
                handler.accept(event);
                return;
            } catch (RuntimeException e) {
                if (attempt >= maxTries) {
                    deadLetter(record, "processing " + event.type() + " " + event.id() + " failed " + attempt
                            + " times: " + rootMessage(e));
                    return;
                }
                LOG.warnf(e, "processing %s %s failed (try %d of %d); trying again", event.type(), event.id(),
                        attempt, maxTries);
                pause();
            }
        }
    }

    /** The event of a record, or empty after parking a record that is not one in the dead-letter topic. */
    public java.util.Optional<SavepointEvent> parse(ConsumerRecord<String, byte[]> record) {
        try {
            return java.util.Optional.of(Json.event(record.value() == null ? new byte[0] : record.value()));
        } catch (RuntimeException e) {
            deadLetter(record, "poison record: " + e.getMessage());
            return java.util.Optional.empty();
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        LOG.warnf("dead-lettering %s/%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
        publisher.deadLetter(record, reason);
        metrics.deadLettered(record.topic());
    }

    private void pause() {
        try {
            Thread.sleep(config.consumer().retryBackoff().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return e.getMessage() + (root == e ? "" : " (cause: " + root.getMessage() + ")");
    }
}
