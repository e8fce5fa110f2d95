package dev.savepoint.trainer.messaging;

import dev.savepoint.contracts.EventSignatures;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.SavepointEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Sends the supervisor's run events to {@code savepoint.runs} (key: run id), signed as the attempt they speak for would
 * sign them (contracts' EventSignatures): the failures it reports on an attempt's behalf are believed like the
 * attempt's own.
 */
@ApplicationScoped
public class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    private final MutinyEmitter<byte[]> runEvents;
    private final EventSignatures signatures;

    public EventPublisher(@Channel("run-events-out") MutinyEmitter<byte[]> runEvents, EventSignatures signatures) {
        this.runEvents = runEvents;
        this.signatures = signatures;
    }

    /** Sends without blocking the caller (the supervisor holds its lock); a send that fails is logged. */
    public void publish(SavepointEvent event) {
        LOG.infof("reporting %s of run %s attempt %d", event.type(), event.runId(), event.attempt());
        byte[] value = Json.write(event);
        runEvents.sendMessage(KafkaRecord.of(event.runId(), value).withHeader(EventSignatures.HEADER,
                signatures.signature(event, value))).subscribe().with(
                done -> { },
                failure -> LOG.errorf(failure, "could not send %s %s of run %s", event.type(), event.id(),
                        event.runId()));
    }

}
