package dev.savepoint.scheduler.messaging;

import dev.savepoint.contracts.EventSignatures;
import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.SavepointEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes run events the scheduler observed on an attempt's behalf (a failed Kubernetes Job) to savepoint.runs,
 * signed with the services' key (contracts' EventSignatures).
 */
@ApplicationScoped
public class RunEventPublisher {

    private final MutinyEmitter<byte[]> emitter;
    private final EventSignatures signatures;

    public RunEventPublisher(@Channel("run-events-out") MutinyEmitter<byte[]> emitter, EventSignatures signatures) {
        this.emitter = emitter;
        this.signatures = signatures;
    }

    public void publish(SavepointEvent event) {
        byte[] value = Json.write(event);
        emitter.sendMessageAndAwait(Message.of(value).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.runId()).withHeaders(signatures.headers(event, value)).build()));
    }
}
