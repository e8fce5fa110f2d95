package dev.savepoint.checkpoint.messaging;

import dev.savepoint.checkpoint.service.CheckpointBatchService;
import dev.savepoint.checkpoint.service.CheckpointCommitService;
import dev.savepoint.checkpoint.service.GcExecutor;
import dev.savepoint.contracts.events.CheckpointCommitted;
import dev.savepoint.contracts.events.CheckpointCorrupt;
import dev.savepoint.contracts.events.CheckpointWritten;
import dev.savepoint.contracts.events.SavepointEvent;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code savepoint.checkpoints} in batches: commits or rejects written checkpoints, marks corrupt ones, and
 * ignores the committed/rejected/deleted events this service itself emits there. A batch is applied in one
 * transaction and acked (post-processing) only after it committed and the broker stored its outcome events; if
 * the batch fails, its records are replayed one by one (retries, then the dead-letter topic), so one bad record
 * never blocks the others.
 */
@ApplicationScoped
public class CheckpointEventConsumer {

    private static final Logger LOG = Logger.getLogger(CheckpointEventConsumer.class);

    private final RecordProcessor processor;
    private final CheckpointBatchService batches;
    private final CheckpointCommitService commits;
    private final EventPublisher publisher;
    private final GcExecutor gc;

    public CheckpointEventConsumer(RecordProcessor processor, CheckpointBatchService batches,
            CheckpointCommitService commits, EventPublisher publisher, GcExecutor gc) {
        this.processor = processor;
        this.batches = batches;
        this.commits = commits;
        this.publisher = publisher;
        this.gc = gc;
    }

    @Incoming("checkpoint-events")
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) {
        List<SavepointEvent> events = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> parsed = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            processor.parse(record).ifPresent(e -> {
                events.add(e);
                parsed.add(record);
            });
        }
        List<SavepointEvent> outcomes;
        try {
            outcomes = batches.apply(events);
        } catch (RuntimeException e) {
            LOG.warnf("a batch of %d checkpoint events failed (%s); applying them one by one", events.size(),
                    e.getMessage());
            parsed.forEach(record -> processor.process(record, this::handle));
            return;
        }
        publisher.publishAll(outcomes);
        collectGarbage(outcomes);
    }

    private void handle(SavepointEvent event) {
        if (event instanceof CheckpointWritten written) {
            List<SavepointEvent> outcome = commits.onWritten(written);
            publisher.publishAll(outcome);
            collectGarbage(outcome);
        } else if (event instanceof CheckpointCorrupt corrupt) {
            commits.onCorrupt(corrupt);
        }
    }

    /** Retention runs once per run that committed something, after the commit. */
    private void collectGarbage(List<SavepointEvent> outcomes) {
        Set<String> runs = new LinkedHashSet<>();
        outcomes.stream().filter(CheckpointCommitted.class::isInstance).forEach(e -> runs.add(e.runId()));
        runs.forEach(gc::collectQuietly);
    }
}
