package dev.savepoint.checkpoint.messaging;

import dev.savepoint.checkpoint.service.RunService;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes {@code savepoint.runs} into the runs and attempts read model; acked after the transaction commits. */
@ApplicationScoped
public class RunEventConsumer {

    private final RecordProcessor processor;
    private final RunService runs;

    public RunEventConsumer(RecordProcessor processor, RunService runs) {
        this.processor = processor;
        this.runs = runs;
    }

    @Incoming("run-events")
    @Blocking
    public void consume(ConsumerRecord<String, byte[]> record) {
        processor.process(record, runs::onRunEvent);
    }
}
