package dev.savepoint.scheduler.messaging;

import dev.savepoint.contracts.ConsumerRetry;
import dev.savepoint.contracts.EventSignatures;
import dev.savepoint.contracts.Failures;
import dev.savepoint.scheduler.service.LaunchDispatcher;
import dev.savepoint.scheduler.service.RunEventHandler;
import io.smallrye.faulttolerance.api.ApplyGuard;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes run lifecycle and checkpoint events in partition order, under the consumer failure policy: a failure of
 * the database is retried with backoff until the event is applied, so nothing is skipped (the guard); an unreadable
 * record (a tombstone too) goes to the .dlq twin of its topic with the reason (the channels' failure strategy), and
 * so does one without a valid signature (contracts' EventSignatures), checked before anything else.
 * Offsets are committed after the handler's transaction. Each record of savepoint.runs processed (applied, or found
 * unreadable and so parked) is reported to {@link ConsumerVisibility}; one in transient retry is not.
 */
@ApplicationScoped
public class EventConsumers {

    private static final Logger LOG = Logger.getLogger(EventConsumers.class);

    private final RunEventHandler handler;
    private final LaunchDispatcher dispatcher;
    private final ConsumerVisibility visibility;
    private final EventSignatures signatures;

    public EventConsumers(RunEventHandler handler, LaunchDispatcher dispatcher, ConsumerVisibility visibility,
            EventSignatures signatures) {
        this.signatures = signatures;
        this.handler = handler;
        this.dispatcher = dispatcher;
        this.visibility = visibility;
    }

    @Incoming("runs")
    @Blocking(ordered = true)
    @ApplyGuard(ConsumerRetry.GUARD)
    public void onRunEvent(ConsumerRecord<String, byte[]> record) {
        try {
            handler.handle(signatures.verify(record));
        } catch (RuntimeException e) {
            if (!Failures.isTransient(e)) {
                visibility.processed(record); // the channel parks it in the .dlq: read, nothing to wait for
            }
            throw e;
        }
        visibility.processed(record);
        try {
            dispatcher.dispatchPending(false); // a failure may have launched the next attempt: send it now
        } catch (RuntimeException e) {
            LOG.warnf("sending what run event %s/%d@%d decided failed (%s); the next tick sends it", record.topic(),
                    record.partition(), record.offset(), Failures.describe(e));
        }
    }

    @Incoming("checkpoints")
    @Blocking(ordered = true)
    @ApplyGuard(ConsumerRetry.GUARD)
    public void onCheckpointEvent(ConsumerRecord<String, byte[]> record) {
        handler.handle(signatures.verify(record));
    }
}
