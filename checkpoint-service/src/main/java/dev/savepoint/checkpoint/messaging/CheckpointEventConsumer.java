package dev.savepoint.checkpoint.messaging;

import dev.savepoint.checkpoint.service.CheckpointIngest;
import dev.savepoint.checkpoint.service.RetentionQueue;
import dev.savepoint.contracts.ConsumerRetry;
import dev.savepoint.contracts.EventSignatures;
import dev.savepoint.contracts.Failures;
import dev.savepoint.contracts.events.CheckpointCommitted;
import dev.savepoint.contracts.events.SavepointEvent;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.faulttolerance.api.ApplyGuard;
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
 * ignores the committed/rejected/deleted events this service itself emits there. The batch is acked after its
 * transaction committed and the broker stored its outcome events and dead letters. A transient failure processes
 * the whole batch again (the guard; every step is idempotent). Unreadable records, and records that fail for good
 * when the batch is replayed one by one, are dead-lettered here: nacking a batch would park all of its records. So
 * are records without a valid signature (contracts' EventSignatures), checked first: they change nothing. Retention
 * of the runs that committed something is queued ({@link RetentionQueue}), not run before the next batch.
 */
@ApplicationScoped
public class CheckpointEventConsumer {

    private static final Logger LOG = Logger.getLogger(CheckpointEventConsumer.class);

    private final CheckpointIngest ingest;
    private final EventPublisher publisher;
    private final RetentionQueue retention;
    private final EventSignatures signatures;

    public CheckpointEventConsumer(CheckpointIngest ingest, EventPublisher publisher, RetentionQueue retention,
            EventSignatures signatures) {
        this.signatures = signatures;
        this.ingest = ingest;
        this.publisher = publisher;
        this.retention = retention;
    }

    /** A record that could be read. */
    private record Received(ConsumerRecord<String, byte[]> record, SavepointEvent event) {
    }

    @Incoming("checkpoint-events")
    @Blocking
    @ApplyGuard(ConsumerRetry.GUARD)
    public void consume(ConsumerRecords<String, byte[]> records) {
        List<Received> received = new ArrayList<>();
        List<EventPublisher.DeadLetter> dead = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                received.add(new Received(record, signatures.verify(record)));
            } catch (Failures.UnreadableRecordException | EventSignatures.SignatureException e) {
                dead.add(new EventPublisher.DeadLetter(record, e));
            }
        }
        List<SavepointEvent> outcomes = apply(received, dead);
        publisher.publishAll(outcomes);
        publisher.deadLetterAll(dead);
        collectGarbage(outcomes);
    }

    /** The outcomes of the batch; records that fail for good are added to {@code dead}, transient failures thrown. */
    private List<SavepointEvent> apply(List<Received> received, List<EventPublisher.DeadLetter> dead) {
        try {
            return ingest.apply(received.stream().map(Received::event).toList());
        } catch (RuntimeException e) {
            if (Failures.isTransient(e)) {
                throw e;
            }
            LOG.warnf("a batch of %d checkpoint events failed (%s); applying them one by one", received.size(),
                    Failures.describe(e));
        }
        List<SavepointEvent> outcomes = new ArrayList<>();
        for (Received r : received) {
            try {
                outcomes.addAll(ingest.apply(List.of(r.event())));
            } catch (RuntimeException e) {
                if (Failures.isTransient(e)) {
                    throw e;
                }
                dead.add(new EventPublisher.DeadLetter(r.record(), e));
            }
        }
        return outcomes;
    }

    /** Retention runs once per run that committed something, after the commit, beside the next batches. */
    private void collectGarbage(List<SavepointEvent> outcomes) {
        Set<String> runs = new LinkedHashSet<>();
        outcomes.stream().filter(CheckpointCommitted.class::isInstance).forEach(e -> runs.add(e.runId()));
        retention.submit(runs);
    }
}
