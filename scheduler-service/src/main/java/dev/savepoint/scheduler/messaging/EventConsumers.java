package dev.savepoint.scheduler.messaging;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.SavepointEvent;
import dev.savepoint.scheduler.service.LaunchDispatcher;
import dev.savepoint.scheduler.service.RunEventHandler;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes run lifecycle and checkpoint events in partition order. A record that cannot be parsed is parked in the
 * dead-letter topic; a record that fails for another reason (the database is down) is retried until it is applied,
 * so nothing is lost or skipped. Offsets are committed after the handler's transaction.
 */
@ApplicationScoped
public class EventConsumers {

    private static final Logger LOG = Logger.getLogger(EventConsumers.class);

    private final RunEventHandler handler;
    private final LaunchDispatcher dispatcher;
    private final DeadLetters deadLetters;

    public EventConsumers(RunEventHandler handler, LaunchDispatcher dispatcher, DeadLetters deadLetters) {
        this.handler = handler;
        this.dispatcher = dispatcher;
        this.deadLetters = deadLetters;
    }

    @Incoming("runs")
    @Blocking(ordered = true)
    public void onRunEvent(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        if (apply(record)) {
            dispatcher.dispatchPending(); // a failure may have launched the next attempt: send it now
        }
    }

    @Incoming("checkpoints")
    @Blocking(ordered = true)
    public void onCheckpointEvent(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        apply(record);
    }

    private boolean apply(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        SavepointEvent event;
        try {
            event = Json.event(record.value());
        } catch (Json.InvalidJsonException e) {
            deadLetters.park(record, e.getMessage());
            return false;
        }
        for (long backoff = 100; ; backoff = Math.min(backoff * 2, 5_000)) {
            try {
                handler.handle(event);
                return true;
            } catch (RuntimeException e) {
                LOG.warnf("applying %s %s failed (%s); retrying in %d ms", event.type(), event.id(), e, backoff);
                Thread.sleep(backoff);
            }
        }
    }
}
