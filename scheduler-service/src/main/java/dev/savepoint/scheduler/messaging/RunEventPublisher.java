package dev.savepoint.scheduler.messaging;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.events.SavepointEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes run events the scheduler observed on an attempt's behalf (a failed Kubernetes Job) to savepoint.runs. */
@ApplicationScoped
public class RunEventPublisher {

    private final MutinyEmitter<byte[]> emitter;

    public RunEventPublisher(@Channel("run-events-out") MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    public void publish(SavepointEvent event) {
        emitter.sendMessageAndAwait(Message.of(Json.write(event)).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(event.runId()).build()));
    }
}
