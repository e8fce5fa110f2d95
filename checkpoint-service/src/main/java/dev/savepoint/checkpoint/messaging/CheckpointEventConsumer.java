package dev.savepoint.checkpoint.messaging;

import dev.savepoint.checkpoint.service.CheckpointCommitService;
import dev.savepoint.checkpoint.service.GcExecutor;
import dev.savepoint.contracts.events.CheckpointCommitted;
import dev.savepoint.contracts.events.CheckpointCorrupt;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.contracts.events.SavepointEvent;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code savepoint.checkpoints}: commits or rejects written checkpoints, marks corrupt ones, and ignores the
 * committed/rejected/deleted events this service itself emits there. The record is acked (post-processing) only
 * after the service's transaction committed and its outcome event was stored by the broker.
 */
@ApplicationScoped
public class CheckpointEventConsumer {

    private final RecordProcessor processor;
    private final CheckpointCommitService commits;
    private final EventPublisher publisher;
    private final GcExecutor gc;

    public CheckpointEventConsumer(RecordProcessor processor, CheckpointCommitService commits,
            EventPublisher publisher, GcExecutor gc) {
        this.processor = processor;
        this.commits = commits;
        this.publisher = publisher;
        this.gc = gc;
    }

    @Incoming("checkpoint-events")
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        processor.process(record, this::handle);
    }

    private void handle(SavepointEvent event) {
        if (event instanceof CheckpointWritten written) {
            List<SavepointEvent> outcome = commits.onWritten(written);
            outcome.forEach(publisher::publish);
            if (outcome.stream().anyMatch(CheckpointCommitted.class::isInstance)) {
                gc.collectQuietly(written.runId());
            }
        } else if (event instanceof CheckpointCorrupt corrupt) {
            commits.onCorrupt(corrupt);
        }
    }
}
